import type { Template } from 'aws-cdk-lib/assertions';

/** How many resources of each type a template holds: an added or lost resource changes it. */
export function resourceInventory(template: Template): Record<string, number> {
  const counts: Record<string, number> = {};
  const resources = template.toJSON().Resources as Record<string, { Type: string }>;
  for (const { Type } of Object.values(resources)) counts[Type] = (counts[Type] ?? 0) + 1;
  return counts;
}
