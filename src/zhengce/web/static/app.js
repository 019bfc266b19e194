// 政策库: the little JavaScript the pages use. Everything works without it.
// Task token: remember the agency token typed once, so inline status forms can reuse it.
(function () {
  var KEY = "zhengce.token";
  document.querySelectorAll("input[name=token]").forEach(function (el) {
    if (!el.value) { el.value = sessionStorage.getItem(KEY) || ""; }
    el.addEventListener("change", function () { sessionStorage.setItem(KEY, el.value); });
  });
})();
// Profile form: show only the fields that apply to the chosen 主体类型 (the server ignores the rest anyway).
(function () {
  var form = document.getElementById("profile-form");
  if (!form) { return; }
  function sync() {
    var k = (form.querySelector("input[name=kind]:checked") || {}).value || "enterprise";
    form.querySelectorAll("label.field").forEach(function (el) {
      var kinds = el.getAttribute("data-kinds").split(" ");
      var on = kinds.indexOf(k) >= 0 || (k === "organization" && kinds.indexOf("enterprise") >= 0);
      el.hidden = !on;
    });
  }
  form.querySelectorAll("input[name=kind]").forEach(function (r) { r.addEventListener("change", sync); });
  sync();
})();
