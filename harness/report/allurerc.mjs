// Allure 3's configuration for `sts-conformance report`: the classic report as one self-contained
// file (it opens from file:// with nothing fetched); its analytics are off through ALLURE_NO_ANALYTICS.
export default {
  name: "sts-conformance",
  plugins: { allure2: { options: { singleFile: true, reportName: "sts-conformance" } } },
};
