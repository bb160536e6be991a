// Building the page: every piece of text goes in through textContent, never as HTML, so a
// patient called "<img src=x onerror=alert(1)>" is shown as those characters.

type Child = Node | string | null | undefined | false;
type Attrs = Record<string, string | number | boolean | undefined | null | EventListener>;

export function h<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attrs: Attrs = {},
  ...children: (Child | Child[])[]
): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs)) {
    if (value === undefined || value === null || value === false) continue;
    if (key.startsWith("on") && typeof value === "function") {
      el.addEventListener(key.slice(2), value as EventListener);
    } else if (key === "class") {
      el.className = String(value);
    } else if (value === true) {
      el.setAttribute(key, "");
    } else {
      el.setAttribute(key, String(value));
    }
  }
  append(el, children);
  return el;
}

function append(el: Element, children: (Child | Child[])[]): void {
  for (const child of children.flat()) {
    if (child === null || child === undefined || child === false) continue;
    el.append(typeof child === "string" ? document.createTextNode(child) : child);
  }
}

let ids = 0;
/** A fresh id for tying labels, hints and errors to their controls. */
export function uid(prefix: string): string {
  ids += 1;
  return `${prefix}-${ids}`;
}

/** Replaces the main area and moves focus to the new screen's heading. */
export function show(...children: Child[]): void {
  const main = document.getElementById("main")!;
  main.replaceChildren();
  append(main, children);
  const heading = main.querySelector("h1");
  const target = heading instanceof HTMLElement ? heading : main;
  target.tabIndex = -1;
  target.focus();
  window.scrollTo(0, 0);
}

/** A short message for screen readers and sighted users alike. */
export function announce(message: string): void {
  const status = document.getElementById("status")!;
  status.textContent = message;
}

/** Which USWDS alert: its colour and icon say the kind, and its words always say it again. */
export type AlertKind = "info" | "success" | "warning" | "error" | "emergency";

/**
 * A USWDS alert. What it says goes in its body, which `alertBody` finds again for callers that
 * change the words later.
 */
export function alert(kind: AlertKind, attrs: Attrs, ...children: (Child | Child[])[]): HTMLElement {
  return h(
    "div",
    { ...attrs, class: `usa-alert usa-alert--${kind} banner ${attrs.class ?? ""}`.trim() },
    // One element in the body: USWDS sets its words beside the icon, and loose text would not be.
    h("div", { class: "usa-alert__body" }, h("div", { class: "usa-alert__text" }, ...children)),
  );
}

export function alertBody(alert: HTMLElement): HTMLElement {
  return alert.querySelector<HTMLElement>(".usa-alert__text") ?? alert;
}

export function button(label: string, onclick: () => void, cls = ""): HTMLButtonElement {
  return h("button", { type: "button", class: cls, onclick: () => onclick() }, label);
}

/** Waits two animation frames: the screen has been laid out and painted. */
export function painted(): Promise<void> {
  return new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(() => resolve())));
}

/** Disables a button and shows what is happening on it; the returned function undoes both. */
export function busy(control: HTMLButtonElement, label: string): () => void {
  const before = control.textContent ?? "";
  control.disabled = true;
  control.textContent = label;
  return () => {
    control.disabled = false;
    control.textContent = before;
  };
}
