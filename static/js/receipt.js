// The receipt's print button (no inline scripts: the CSP forbids them).
document.getElementById("print-button").addEventListener("click", function () { window.print(); });
