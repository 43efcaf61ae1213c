// How the age of a debt is shown: words and a colour that warms up with age.

export function ageColor(days: number): string {
  if (days >= 60) return 'red';
  if (days >= 30) return 'orange';
  if (days >= 7) return 'yellow';
  return 'gray';
}

export function ageText(days: number): string {
  if (days === 0) return 'today';
  if (days === 1) return '1 day';
  return `${days} days`;
}
