import js from "@eslint/js";
import tseslint from "typescript-eslint";

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
          selector:
            "CallExpression[callee.name='setTimeout'][arguments.length=2] > ArrowFunctionExpression[params.length=1][body.type='Identifier']",
          message:
            "No fixed sleeps: wait for what you observe (harness/kube/watch.ts), or use an explicit quiet window.",
        },
      ],
    },
  },
);
