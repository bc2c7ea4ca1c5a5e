/** `1234567` → `1,234,567`. (toLocaleString does the same but starts ICU's formatter: ~10 ms per run.) */
export function grouped(n: number): string {
  const digits = String(Math.trunc(Math.abs(n)));
  const sign = n < 0 ? '-' : '';
  return sign + digits.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}
