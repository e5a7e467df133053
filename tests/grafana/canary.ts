// Proof that the check bites: the two faults the generated dashboard once
// had, each marked with @ts-expect-error. If the schema stopped rejecting
// one of them, tsc would report the directive as unused and the test fail.
import type { Dashboard } from './check';

export const canary = {
  title: 'canary',
  schemaVersion: 39,
  templating: {
    list: [
      {
        name: 'datasource',
        type: 'datasource',
        query: 'prometheus',
        // @ts-expect-error: an option needs `text` and `value`
        current: {},
      },
      {
        name: 'device',
        type: 'query',
        query: { query: 'label_values(user_actions_total, device)', refId: 'device' },
        // @ts-expect-error: not a key of the schema's VariableModel
        definition: 'label_values(user_actions_total, device)',
      },
    ],
  },
} satisfies Dashboard;
