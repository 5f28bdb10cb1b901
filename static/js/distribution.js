// Level distribution charts (Chart.js from npm). The table under each chart carries the
// same numbers, so the page works without JavaScript.
document.addEventListener("DOMContentLoaded", () => {
  const source = document.getElementById("distribution-data");
  if (!source || typeof Chart === "undefined") return;
  const data = JSON.parse(source.textContent);
  const palette = ["#4338ca", "#0b6b8a", "#137a3f", "#9a5b00", "#b42318", "#5b6477", "#7c3aed"];
  document.querySelectorAll("canvas.cf-chart").forEach((canvas) => {
    const table = data[Number(canvas.dataset.chartIndex)];
    if (!table) return;
    new Chart(canvas, {
      type: "bar",
      data: {
        labels: table.levels,
        datasets: table.series.map((s, i) => ({
          label: s.role,
          data: s.counts,
          backgroundColor: palette[i % palette.length],
        })),
      },
      options: {
        responsive: true,
        scales: { x: { stacked: true }, y: { stacked: true, beginAtZero: true, ticks: { precision: 0 } } },
        plugins: { legend: { position: "bottom" } },
      },
    });
  });
});
