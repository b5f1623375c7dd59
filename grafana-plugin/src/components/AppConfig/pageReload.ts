/** Grafana re-reads plugin settings only on page load; an object so tests can replace it. */
export const pageReload = {
  reload(): void {
    window.location.reload();
  },
};
