// ESLint for the UI: the recommended JavaScript and typescript-eslint rules. The generated
// bindings (ts-rs) and the built bundle are not ours to lint.
import js from "@eslint/js";
import tseslint from "typescript-eslint";

export default tseslint.config(
  { ignores: ["dist/", "src/bindings/", "node_modules/"] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    // `const { a: _dropped, ...rest } = x` is how a field is left out of a copy.
    rules: { "@typescript-eslint/no-unused-vars": ["error", { ignoreRestSiblings: true }], "no-duplicate-imports": "error" },
  },
  {
    // A screen reaches another screen through the router, never by importing it or the shell
    // (madge, in `npm run lint`, checks that no import loop is left at all).
    files: ["src/screens/**/*.ts", "src/patientmode/**/*.ts"],
    rules: {
      "no-restricted-imports": [
        "error",
        {
          patterns: [
            {
              regex: "^\\.\\.?/(app|main|screens/)?(intake|review|patients|summary|settings|setup|login|password|selfentry|app|main)$",
              message: "Go to another screen through the router (go()), not by importing it.",
            },
          ],
        },
      ],
    },
  },
);
