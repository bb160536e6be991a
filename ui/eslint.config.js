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
    rules: { "@typescript-eslint/no-unused-vars": ["error", { ignoreRestSiblings: true }] },
  },
);
