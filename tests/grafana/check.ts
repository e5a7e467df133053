// The type every generated dashboard must satisfy: `Dashboard` as
// `@grafana/schema` exports it, the classic dashboard JSON model
// (schemaVersion 39) that Grafana's frontend and its import read. It is
// the raw, generated schema (dist/types/raw/dashboard/x/types.gen.d.ts)
// with typed panels, variables and annotations on top.
//
// A JSON import widens every string and number, so a dashboard imported
// from its .json file would fail on every enum and pass wrong keys. The
// test (examples/tests/grafana_schema.rs) instead writes each dashboard
// into generated/<name>.ts as an object literal with `satisfies Dashboard`:
// literals keep their literal types against the schema's unions, and
// excess-property checks catch keys the schema does not list, at any depth.
export type { Dashboard } from '@grafana/schema';

import checkedInFile from '../../examples/monitoring/grafana/dashboards/webapp.json';
import checkedIn from './generated/checked-in';

// The literal the test wrote is the checked-in file, not some other
// dashboard: the file's (widened) type takes the literal.
export const sameAsFile: typeof checkedInFile = checkedIn;
