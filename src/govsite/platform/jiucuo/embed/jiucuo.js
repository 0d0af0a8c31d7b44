/* 我为政府网站找错: the entrance a government website puts on its pages (docs/jiucuo.md).

     <script src="https://<platform>/jiucuo/jiucuo.js" data-site="<网站标识码>"></script>

   Adds, where the tag stands, a link to the platform's form for that site
   (/jiucuo/?site=<code>&url=<this page>), opened in a new window. The national
   script's attribute sitecode="<code>" is read too; data-page="off" leaves the page's
   address out. Nothing is loaded from elsewhere and no markup is built from text:
   the code must be a site code, the address travels only as a URL parameter, and the
   label is set as text. */
(function () {
  "use strict";
  var script = document.currentScript;
  if (!script || !script.src || !script.parentNode) {
    return;
  }
  var code = (script.getAttribute("data-site") || script.getAttribute("sitecode") || "").trim();
  if (!/^(?:[0-9]{10}|bm[0-9]{8})$/.test(code)) {
    return;
  }
  var form = new URL("./", script.src); /* this script's folder: the platform's /jiucuo/ */
  form.searchParams.set("site", code);
  if (script.getAttribute("data-page") !== "off" && /^https?:$/.test(location.protocol)) {
    form.searchParams.set("url", location.href.slice(0, 500));
  }
  var link = document.createElement("a");
  link.href = form.href;
  link.target = "_blank";
  link.rel = "noopener";
  link.className = "govsite-jiucuo";
  link.textContent = LABEL;
  link.style.cssText =
    "display:inline-block;padding:4px 12px;border:1px solid #b22;border-radius:3px;" +
    "color:#b22;background:#fff;font-size:14px;line-height:20px;text-decoration:none";
  script.parentNode.insertBefore(link, script.nextSibling);
})();
