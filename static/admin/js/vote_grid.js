// The decision's vote grid: "All others for" fills a provision's undecided judges, and the counts
// under each column follow the names as they are chosen (the server counts again when saving).
"use strict";
(function () {
  function cells(provision) {
    return document.querySelectorAll('select.vote-cell[data-provision="' + provision + '"]');
  }
  function recount(provision) {
    let inFavour = 0;
    let against = 0;
    cells(provision).forEach(function (cell) {
      if (cell.value === "for") inFavour += 1;
      if (cell.value === "against") against += 1;
    });
    const count = document.querySelector('.vote-grid-count[data-provision="' + provision + '"]');
    if (count) count.textContent = inFavour + " to " + against;
  }
  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll(".vote-grid-all-for").forEach(function (button) {
      button.addEventListener("click", function () {
        const provision = button.dataset.provision;
        cells(provision).forEach(function (cell) {
          if (!cell.value) cell.value = "for";
        });
        recount(provision);
      });
    });
    document.querySelectorAll("select.vote-cell").forEach(function (cell) {
      cell.addEventListener("change", function () {
        recount(cell.dataset.provision);
      });
    });
  });
})();
