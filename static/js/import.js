// The framework import form (roles/import_form.html), a progressive enhancement: refuse an
// oversized file before uploading it, and show the upload's progress (htmx posts the form in
// the background). Without JavaScript the form posts normally and the server checks the size.
// Texts come translated from the page: data-msg-* attributes of #import-messages.
(() => {
  let uploading = false;
  const part = (id) => document.getElementById(id);
  const text = (name) => {
    const holder = part("import-messages");
    return (holder && holder.dataset[name]) || "";
  };
  document.addEventListener("change", (event) => {
    const input = event.target;
    if (!(input instanceof HTMLInputElement) || !input.dataset.maxBytes) return;
    const file = input.files && input.files[0];
    const max = Number(input.dataset.maxBytes);
    input.setCustomValidity(
      file && file.size > max
        ? text("msgTooBig")
            .replace("{size}", file.size.toLocaleString())
            .replace("{max}", max.toLocaleString())
        : "",
    );
    input.reportValidity();
  });
  document.addEventListener("htmx:beforeRequest", () => {
    if (!part("import-busy")) return;
    uploading = true;
    part("import-busy").hidden = false;
    part("import-progress").value = 0;
    part("import-status").textContent = text("msgUploading");
  });
  document.addEventListener("htmx:xhr:progress", (event) => {
    const bar = part("import-progress");
    const { loaded, total, lengthComputable } = event.detail;
    if (!uploading || !bar || !lengthComputable || !total) return;
    bar.value = Math.round((100 * loaded) / total);
    if (loaded >= total) {
      // Then the server reads the file; later events are the answer's.
      uploading = false;
      bar.removeAttribute("value");
      part("import-status").textContent = text("msgChecking");
    }
  });
  document.addEventListener("htmx:sendError", () => {
    if (part("import-status")) part("import-status").textContent = text("msgSendError");
  });
  document.addEventListener("htmx:responseError", (event) => {
    if (part("import-status")) {
      part("import-status").textContent = text("msgServerError").replace(
        "{status}",
        event.detail.xhr.status,
      );
    }
  });
})();
