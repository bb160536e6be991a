"""The generated Questionnaire in LHC-Forms (the npm package lforms), in headless Chromium.

The page renders the Questionnaire; the script answers it as a patient would, by clicking and
typing. It checks that the PHQ-9's own items appear only once the PHQ-2 is positive (the
branching written as an SDC enableWhenExpression), that the last dose of a medicine is asked
once the line names one (enableWhen), then reads back LHC-Forms' QuestionnaireResponse, has
`ldn fhir import` screen it, and compares that with `ldn screen` of the same answers written as
an answers file.

usage: lforms_check.py LDN_BINARY LFORMS_DIST_DIR OUT_DIR
"""

import datetime
import functools
import http.server
import json
import os
import shutil
import subprocess
import sys
import threading
import time

from selenium import webdriver
from selenium.common.exceptions import NoSuchElementException
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys

ANSWER_SYSTEM = "urn:ldn-intake:fhir:answer"
HERE = os.path.dirname(os.path.abspath(__file__))


def fail(message):
    print(f"lforms check: FAILED: {message}", file=sys.stderr)
    sys.exit(1)


def serve(directory):
    class Quiet(http.server.SimpleHTTPRequestHandler):
        def log_message(self, *args):
            pass

    handler = functools.partial(Quiet, directory=directory)
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


def browser():
    options = webdriver.ChromeOptions()
    for argument in ["--headless=new", "--no-sandbox", "--disable-gpu", "--window-size=1280,2400"]:
        options.add_argument(argument)
    # The driver from the Debian package: Selenium Manager would try to download one.
    return webdriver.Chrome(service=Service(shutil.which("chromedriver")), options=options)


def wait_for(what, condition, seconds=20):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(0.1)
    fail(f"timed out waiting for {what}")


def shown(driver, link_id):
    """Whether LHC-Forms shows the item (its element exists only while it is enabled)."""
    return bool(driver.find_elements(By.CSS_SELECTOR, f'[id^="item-{link_id}/"]'))


def choose(driver, link_id, code):
    labels = driver.find_elements(
        By.CSS_SELECTOR, f'label[id^="{link_id}/"][id$="|{ANSWER_SYSTEM}|{code}"]'
    )
    if not labels:
        fail(f"no answer {code!r} offered for {link_id}")
    labels[0].click()


def type_into(driver, link_id, text):
    field = driver.find_element(By.CSS_SELECTOR, f'[id^="{link_id}/"]:is(input, textarea)')
    field.clear()
    field.send_keys(text, Keys.TAB)


def type_date(driver, label, date):
    field = wait_for(
        f"the date field {label!r}",
        lambda: driver.find_elements(By.CSS_SELECTOR, f'input[aria-label="{label}"]'),
    )[0]
    field.click()
    field.send_keys(date.strftime("%m/%d/%Y"), Keys.ENTER)
    field.send_keys(Keys.TAB)


def main():
    ldn, dist, out = sys.argv[1:4]
    os.makedirs(out, exist_ok=True)
    site = os.path.join(out, "site")
    shutil.rmtree(site, ignore_errors=True)
    os.makedirs(site)
    os.symlink(os.path.abspath(dist), os.path.join(site, "lforms"))
    shutil.copy(os.path.join(HERE, "lforms_page.html"), os.path.join(site, "index.html"))
    subprocess.run([ldn, "fhir", "questionnaire", "--out", os.path.join(site, "questionnaire.json")], check=True)

    server = serve(site)
    driver = browser()
    try:
        driver.get(f"http://127.0.0.1:{server.server_port}/index.html")
        status = wait_for(
            "the form", lambda: (lambda t: t != "loading" and t)(driver.find_element(By.ID, "status").text)
        )
        if status != "ready":
            fail(f"LHC-Forms did not load the Questionnaire: {status}")
        today = datetime.date.today()
        last_dose = today - datetime.timedelta(days=2)

        type_into(driver, "patient.given_name", "Marisol")
        type_into(driver, "patient.family_name", "Ortega Ruiz")
        type_date(driver, "Date of birth", datetime.date(1975, 8, 14))
        choose(driver, "patient.sex_at_birth", "female")

        if shown(driver, "medications.last_taken"):
            fail("the last dose is asked before the line names a medicine")
        type_into(driver, "medications.name", "Norco 5/325")
        wait_for("the last dose to be asked", lambda: shown(driver, "medications.last_taken"))
        type_date(driver, "Last dose taken on", last_dose)

        tri_state = {
            "opioid.current": "yes",
            "opioid.moud": "no",
            "opioid.depot_buprenorphine_12mo": "no",
            "opioid.oud_history": "no",
            "opioid.withdrawal_symptoms": "no",
            "allergy.naltrexone": "no",
            "liver.acute_hepatitis": "no",
            "liver.cirrhosis": "no",
            "breastfeeding": "no",
            "mh.depression": "yes",
            "mh.suicidal_thoughts": "no",
            "alcohol.dependent": "no",
        }
        for link_id, code in tri_state.items():
            choose(driver, link_id, code)
        choose(driver, "kidney.disease", "none")
        choose(driver, "pregnancy.status", "no")
        wait_for("the pregnancy-planning question", lambda: shown(driver, "pregnancy.planning"))
        choose(driver, "pregnancy.planning", "no")

        phq9_own = [f"mh.phq9.item{n}" for n in range(3, 10)]
        if any(shown(driver, link) for link in phq9_own):
            fail("PHQ-9 items are shown before the PHQ-2 is answered")
        choose(driver, "mh.phq2.item1", "1")
        choose(driver, "mh.phq2.item2", "1")
        time.sleep(0.5)
        if any(shown(driver, link) for link in phq9_own):
            fail("PHQ-9 items are shown after a negative PHQ-2 (total 2)")
        choose(driver, "mh.phq2.item2", "2")
        wait_for("the PHQ-9 after a positive PHQ-2 (total 3)", lambda: all(shown(driver, l) for l in phq9_own))
        print("lforms check: the PHQ-9's items appear after a positive PHQ-2, not before")
        phq9 = [1, 2, 1, 1, 0, 1, 0, 0, 1]
        for n in range(3, 10):
            choose(driver, f"mh.phq9.item{n}", str(phq9[n - 1]))
        for n, code in enumerate([1, 0, 0], start=1):
            choose(driver, f"alcohol.audit_c.item{n}", str(code))
        time.sleep(0.5)  # let the last choices paint before the screenshot
        driver.save_screenshot(os.path.join(out, "lforms-filled.png"))

        response = driver.execute_script(
            "return LForms.Util.getFormFHIRData('QuestionnaireResponse', 'R4', '#form');"
        )
    finally:
        driver.quit()
        server.shutdown()

    response_file = os.path.join(out, "lforms-response.json")
    with open(response_file, "w") as f:
        json.dump(response, f, indent=1, ensure_ascii=False)
    intake_date = (response.get("authored") or "")[:10]
    answers = {
        "format": "ldn-intake/answers@1",
        "intake_date": intake_date,
        "language": "en",
        "patient": {
            "given_name": "Marisol",
            "family_name": "Ortega Ruiz",
            "birth_date": "1975-08-14",
            "sex_at_birth": "female",
        },
        "answers": dict(
            tri_state,
            **{
                "kidney.disease": "none",
                "pregnancy.status": "no",
                "pregnancy.planning": "no",
                "mh.phq2": [1, 2],
                "mh.phq9": phq9,
                "alcohol.audit_c": [1, 0, 0],
            },
        ),
        "medications": [{"name": "Norco 5/325", "last_taken": last_dose.isoformat()}],
    }
    answers_file = os.path.join(out, "lforms-typed.answers.json")
    with open(answers_file, "w") as f:
        json.dump(answers, f, indent=1, ensure_ascii=False)

    imported = subprocess.run([ldn, "fhir", "import", response_file, "--json"], capture_output=True, text=True)
    if imported.returncode != 0:
        fail(f"ldn fhir import refused LHC-Forms' response:\n{imported.stderr}")
    typed = subprocess.run([ldn, "screen", answers_file, "--json"], capture_output=True, text=True, check=True)
    if json.loads(imported.stdout) != json.loads(typed.stdout):
        fail(f"the imported response screens differently from the same answers typed:\n{imported.stdout}\n---\n{typed.stdout}")
    verdict = json.loads(imported.stdout)["verdict"]
    print(f"lforms check: LHC-Forms' QuestionnaireResponse imports and screens as the typed answers do ({verdict})")


if __name__ == "__main__":
    main()
