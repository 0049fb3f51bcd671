import { AssemblyFacts, OpenWarning, RulelessOptOut } from './assembly';
import { ACKNOWLEDGEMENT_PREFIX, AcknowledgementCause } from '../../core/justification';

/** Who made an acknowledgement, read from its reason. @internal */
export enum AcknowledgedBy {
  /** cdk-aegis, because AWS allows nothing narrower or the rule has a defect. */
  LIBRARY = 'library',
  /** You, through a typed opt-out of a cdk-aegis construct. */
  USER_OPT_OUT = 'user (typed opt-out)',
  /** You, through `Validations.of(construct).acknowledge()` directly. */
  USER = 'user',
}

/** One acknowledgement of the app. @internal */
export interface LedgerEntry {
  readonly constructPath: string;
  readonly ruleId: string;
  readonly acknowledgedId: string;
  readonly reason: string;
  readonly by: AcknowledgedBy;
  readonly cause?: string;
  readonly templateFile?: string;
  readonly logicalId?: string;
}

const KNOWN_CAUSES: string[] = Object.values(AcknowledgementCause);

/** Every acknowledgement in `facts`, sorted by construct path and rule. @internal */
export function toLedger(facts: AssemblyFacts): LedgerEntry[] {
  const prefix = new RegExp(`^${ACKNOWLEDGEMENT_PREFIX} \\(([^)]+)\\):`);
  return facts.acknowledgements
    .flatMap((ack) => ack.constructPaths.map((constructPath) => {
      // Only the causes cdk-aegis writes count; any other prefix is a user's own text.
      const written = prefix.exec(ack.reason ?? '')?.[1];
      const cause = KNOWN_CAUSES.includes(written as AcknowledgementCause) ? written : undefined;
      const by = cause === undefined
        ? AcknowledgedBy.USER
        : cause === AcknowledgementCause.USER_OPT_OUT ? AcknowledgedBy.USER_OPT_OUT : AcknowledgedBy.LIBRARY;
      const location = facts.locations.get(constructPath);
      return {
        constructPath,
        ruleId: ack.ruleName,
        acknowledgedId: ack.acknowledgedId ?? ack.ruleName,
        reason: ack.reason ?? '',
        by,
        cause,
        templateFile: location?.templateFile,
        logicalId: location?.logicalId,
      };
    }))
    .sort((a, b) => a.constructPath.localeCompare(b.constructPath) || a.ruleId.localeCompare(b.ruleId));
}

/** The ledger as a Markdown table, then the opt-outs no rule covers, then the cdk-aegis warnings still open. @internal */
export function ledgerMarkdown(entries: LedgerEntry[], optOuts: RulelessOptOut[] = [], openWarnings: OpenWarning[] = []): string {
  const cell = (text: string) => text.replace(/\|/g, '\\|').replace(/\n/g, ' ');
  return [
    '# Compliance ledger',
    '',
    `${entries.length} acknowledgement(s): ${entries.filter((e) => e.by === AcknowledgedBy.LIBRARY).length} by cdk-aegis, ` +
      `${entries.filter((e) => e.by !== AcknowledgedBy.LIBRARY).length} by you.`,
    '',
    '| Construct | Rule | By | Reason |',
    '|---|---|---|---|',
    ...entries.map((e) => `| \`${cell(e.constructPath)}\` | \`${cell(e.ruleId)}\` | ${e.by} | ${cell(e.reason)} |`),
    '',
    '## Controls turned off that no rule covers',
    '',
    `${optOuts.length} typed opt-out(s) (alarms, deletion protection, WAF rules in count mode, …), each with your reason.`,
    '',
    ...(optOuts.length > 0
      ? ['| Construct | Control | Reason |', '|---|---|---|', ...optOuts.map((o) => `| \`${cell(o.constructPath)}\` | \`${cell(o.control)}\` | ${cell(o.reason)} |`), '']
      : []),
    '## cdk-aegis warnings still open',
    '',
    `${openWarnings.length} warning(s) (e.g. an alarm topic without a fallback channel): fix them, or acknowledge them with a reason.`,
    '',
    ...(openWarnings.length > 0
      ? ['| Construct | Warning | Message |', '|---|---|---|', ...openWarnings.map((w) => `| \`${cell(w.constructPath)}\` | \`${cell(w.id)}\` | ${cell(w.message)} |`), '']
      : []),
  ].join('\n');
}
