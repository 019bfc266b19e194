// 政策库: the little JavaScript the pages use. Everything works without it.
// Task token: remember the agency token typed once, so inline status forms can reuse it.
(function () {
  var KEY = "zhengce.token";
  document.querySelectorAll("input[name=token]").forEach(function (el) {
    if (!el.value) { el.value = sessionStorage.getItem(KEY) || ""; }
    el.addEventListener("change", function () { sessionStorage.setItem(KEY, el.value); });
  });
})();
