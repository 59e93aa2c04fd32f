import js from "@eslint/js";
import tseslint from "typescript-eslint";

const noFixedSleep =
  "No fixed sleeps: wait for what you observe (harness/kube/watch.ts), or use the explicit quiet window.";

export default tseslint.config(
  { ignores: ["node_modules/", "reports/", "dist/"] },
  js.configs.recommended,
  ...tseslint.configs.strict,
  {
    languageOptions: { globals: { process: "readonly", console: "readonly" } },
    rules: {
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_" }],
      "no-restricted-syntax": [
        "error",
        {
          // setTimeout((x) => x, ms)
          selector:
            "CallExpression[callee.name='setTimeout'][arguments.length=2] > ArrowFunctionExpression[params.length=1][body.type='Identifier']",
          message: noFixedSleep,
        },
        {
          // new Promise((resolve) => setTimeout(resolve, ms)), in any spelling
          selector: "NewExpression[callee.name='Promise'] CallExpression[callee.name='setTimeout']",
          message: noFixedSleep,
        },
      ],
    },
  },
  {
    // Fixtures are pure data: no I/O, no cluster access.
    files: ["fixtures/**/*.ts"],
    rules: {
      "no-restricted-imports": [
        "error",
        {
          patterns: [
            {
              group: ["**/harness/kube/**", "**/harness/cluster/**", "**/harness/faults/**", "**/suites/**"],
              message: "fixtures do no I/O",
            },
            { group: ["node:fs", "node:child_process", "execa"], message: "fixtures do no I/O" },
          ],
        },
      ],
    },
  },
);
