/**
 * Sorting for the tables: the page's only script, inline. The charts are SVG and
 * show without it.
 */
export const SORT_SCRIPT = `
for (const table of document.querySelectorAll('table.sortable')) {
  const body = table.tBodies[0];
  const headers = [...table.tHead.rows[0].cells];
  headers.forEach((th, column) => th.querySelector('button').addEventListener('click', () => {
    const ascending = th.getAttribute('aria-sort') !== 'ascending';
    for (const h of headers) h.removeAttribute('aria-sort');
    th.setAttribute('aria-sort', ascending ? 'ascending' : 'descending');
    const key = (row) => row.cells[column].dataset.value ?? row.cells[column].textContent.trim();
    const compare = (a, b) => {
      const [x, y] = [key(a), key(b)];
      if (x === '' || y === '') return x === y ? 0 : x === '' ? 1 : -1;
      const [nx, ny] = [Number(x), Number(y)];
      const c = Number.isNaN(nx) || Number.isNaN(ny) ? x.localeCompare(y) : nx - ny;
      return ascending ? c : -c;
    };
    body.append(...[...body.rows].sort(compare));
  }));
}
`;
