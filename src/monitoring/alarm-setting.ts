import { Duration, Token } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import { IConstruct } from 'constructs';
import { ProblemCollector, received } from '../core/errors';
import { checkJustification, Justification, recordOptOut } from '../core/justification';
import { requireDuration, requireInstanceOf, requireOptionalNumber, requireStruct } from '../core/private/input-checks';

/** Longest window CloudWatch evaluates: one day for periods under an hour, seven days otherwise. */
const MAX_EVALUATION_SECONDS = 24 * 60 * 60;
const MAX_EVALUATION_SECONDS_HOURLY = 7 * 24 * 60 * 60;

/** Options of {@link AlarmSetting.on}: each one defaults to the value in the construct's Alarms table. */
export interface AlarmOptions {
  /**
   * The threshold, in the unit the construct's Alarms table gives for this
   * alarm (a count, milliseconds, a percentage, seconds, or, for
   * anomaly-detection alarms, the band width in standard deviations).
   *
   * @default - the construct's documented default
   */
  readonly threshold?: number;

  /**
   * The period each data point covers: a whole number of minutes.
   *
   * @default - the construct's documented default
   */
  readonly period?: Duration;

  /**
   * How many recent periods are evaluated.
   *
   * @default - the construct's documented default
   */
  readonly evaluationPeriods?: number;

  /**
   * How many of the evaluated periods must breach for the alarm to fire.
   *
   * @default - the construct's documented default
   */
  readonly datapointsToAlarm?: number;
}

/**
 * One alarm of a cdk-aegis construct: on with its documented defaults, on
 * with your own threshold or window, or off with a written reason.
 *
 * @example
 * new SecureFunction(this, 'Fn', { code, handler: 'index.handler',
 *   errorsAlarm: AlarmSetting.on({ threshold: 5 }),
 *   durationAlarm: AlarmSetting.off({ reason: 'batch job, long runs are expected' }) });
 */
export class AlarmSetting {
  /** The alarm is on; unset options keep the construct's documented defaults. */
  public static on(options: AlarmOptions = {}): AlarmSetting {
    return new AlarmSetting(true, options);
  }

  /** The alarm is off; the reason is recorded on the construct as an opt-out. */
  public static off(justification: Justification): AlarmSetting {
    return new AlarmSetting(false, {}, justification);
  }

  private constructor(
    /** Whether the alarm is on. */
    public readonly enabled: boolean,
    /** The options given to `on()`. */
    public readonly options: AlarmOptions,
    /** Why the alarm is off, when it is. */
    public readonly justification?: Justification,
  ) {}
}

/** The settings of one alarm after defaults. @internal */
export interface AlarmConfig {
  readonly threshold: number;
  readonly period: Duration;
  readonly evaluationPeriods: number;
  readonly datapointsToAlarm: number;
}

/** How one construct's alarm defaults and checks its threshold. @internal */
export interface AlarmDefaults extends AlarmConfig {
  /** On when the user passes nothing. */
  readonly onByDefault: boolean;
  /** Smallest threshold accepted (inclusive). */
  readonly minThreshold: number;
  /** Largest threshold accepted (inclusive). */
  readonly maxThreshold?: number;
  /** What the threshold measures, for errors, e.g. `errors in a period`. */
  readonly thresholdUnit: string;
}

/**
 * Anomaly-detection alarms on a spike (API requests, WAF blocks): above a
 * band of 3 standard deviations in 2 of 3 five-minute periods. The threshold
 * is the band width.
 *
 * @internal
 */
export const SPIKE_ALARM_DEFAULTS: AlarmDefaults = {
  onByDefault: true,
  threshold: 3,
  minThreshold: 0.1,
  maxThreshold: 10,
  thresholdUnit: 'band width, standard deviations',
  period: Duration.minutes(5),
  evaluationPeriods: 3,
  datapointsToAlarm: 2,
};

/**
 * Checks `setting` of the alarm named by `prop` and returns its settings after
 * defaults, or `undefined` when it is off. Problems are collected.
 *
 * @internal
 */
function checkAlarmSetting(
  problems: ProblemCollector,
  prop: string,
  setting: AlarmSetting | undefined,
  defaults: AlarmDefaults,
): AlarmConfig | undefined {
  if (setting === undefined) {
    return defaults.onByDefault ? defaults : undefined;
  }
  if (!requireInstanceOf(problems, prop, setting, AlarmSetting, '`AlarmSetting.on()`, `AlarmSetting.on({ threshold, ... })` or `AlarmSetting.off({ reason })`')) {
    return undefined;
  }
  if (!setting.enabled) {
    if (defaults.onByDefault) {
      checkJustification(problems, prop, setting.justification);
    }
    return undefined;
  }
  const o = setting.options;
  if (!checkAlarmOptionTypes(problems, prop, o)) {
    return undefined;
  }
  const config: AlarmConfig = {
    threshold: o.threshold ?? defaults.threshold,
    period: o.period ?? defaults.period,
    evaluationPeriods: o.evaluationPeriods ?? defaults.evaluationPeriods,
    // A shorter window keeps the default count of breaching periods only if it fits.
    datapointsToAlarm: o.datapointsToAlarm ?? Math.min(o.evaluationPeriods ?? defaults.evaluationPeriods, defaults.datapointsToAlarm),
  };
  problems.require(
    !Token.isUnresolved(config.threshold),
    `\`${prop}\` threshold must be a number known at synth time (cdk-aegis converts and checks it), got a token.`,
  );
  const range = defaults.maxThreshold === undefined ? `at least ${defaults.minThreshold}` : `between ${defaults.minThreshold} and ${defaults.maxThreshold}`;
  if (!Token.isUnresolved(config.threshold)) {
    problems.require(
      Number.isFinite(config.threshold) &&
        config.threshold >= defaults.minThreshold &&
        (defaults.maxThreshold === undefined || config.threshold <= defaults.maxThreshold),
      `\`${prop}\` threshold (${defaults.thresholdUnit}) must be ${range}, got: ${received(config.threshold)}.`,
    );
  }
  const seconds = config.period.toMilliseconds() / 1000;
  problems.require(
    seconds >= 60 && seconds % 60 === 0,
    `\`${prop}\` period must be a whole number of minutes (CloudWatch's metrics here are per minute), got: ${seconds} seconds.`,
  );
  problems.require(
    Number.isInteger(config.evaluationPeriods) && config.evaluationPeriods >= 1,
    `\`${prop}\` evaluationPeriods must be a whole number of at least 1, got: ${received(config.evaluationPeriods)}.`,
  );
  problems.require(
    !(Number.isInteger(config.evaluationPeriods) && config.evaluationPeriods >= 1) ||
      (Number.isInteger(config.datapointsToAlarm) && config.datapointsToAlarm >= 1 && config.datapointsToAlarm <= config.evaluationPeriods),
    `\`${prop}\` datapointsToAlarm must be a whole number from 1 to evaluationPeriods (${config.evaluationPeriods}), got: ${received(config.datapointsToAlarm)}.`,
  );
  const maxWindow = seconds >= 3600 ? MAX_EVALUATION_SECONDS_HOURLY : MAX_EVALUATION_SECONDS;
  problems.require(
    seconds * config.evaluationPeriods <= maxWindow,
    `\`${prop}\` period × evaluationPeriods must be at most ${seconds >= 3600 ? 'seven days' : 'one day for periods under an hour'} ` +
      `(CloudWatch's limit), got: ${seconds * config.evaluationPeriods} seconds.`,
  );
  return config;
}

/** Types of the options given to `AlarmSetting.on()`, as untyped callers may get them wrong. */
function checkAlarmOptionTypes(problems: ProblemCollector, prop: string, options: AlarmOptions): boolean {
  const o = options as unknown as Record<keyof AlarmOptions, unknown>;
  return [
    requireStruct(problems, `${prop} options`, options, '{ threshold: 5 }', true) &&
      [
        requireOptionalNumber(problems, `${prop}.threshold`, o.threshold, '5'),
        requireDuration(problems, `${prop}.period`, o.period, 'Duration.minutes(5)'),
        requireOptionalNumber(problems, `${prop}.evaluationPeriods`, o.evaluationPeriods, '3'),
        requireOptionalNumber(problems, `${prop}.datapointsToAlarm`, o.datapointsToAlarm, '2'),
      ].every((ok) => ok),
  ].every((ok) => ok);
}

/**
 * Records on `construct` that the alarm named `prop` was turned off, when it
 * was (no rule-pack rule covers alarms: a warning with the stable id
 * `@cdk-aegis/opt-out:<prop>` carries the reason).
 *
 * @internal
 */
function recordAlarmOptOut(construct: IConstruct, prop: string, setting: AlarmSetting | undefined, defaults: AlarmDefaults): void {
  if (defaults.onByDefault && setting !== undefined && !setting.enabled && setting.justification !== undefined) {
    recordOptOut(construct, prop, setting.justification, []);
  }
}

/**
 * Checks every alarm setting of a construct's props (`props[name]` for each
 * name of `defaults`) and returns the settings of the alarms that are on.
 *
 * @internal
 */
export function checkAlarmSettings<K extends string>(
  problems: ProblemCollector,
  props: { readonly [P in K]?: AlarmSetting },
  defaults: Record<K, AlarmDefaults>,
): { [P in K]?: AlarmConfig } {
  const configs: { [P in K]?: AlarmConfig } = {};
  for (const prop of Object.keys(defaults) as K[]) {
    configs[prop] = checkAlarmSetting(problems, prop, props[prop], defaults[prop]);
  }
  return configs;
}

/** {@link recordAlarmOptOut} for every alarm of `defaults`. @internal */
export function recordAlarmOptOuts<K extends string>(
  construct: IConstruct,
  props: { readonly [P in K]?: AlarmSetting },
  defaults: Record<K, AlarmDefaults>,
): void {
  for (const prop of Object.keys(defaults) as K[]) {
    recordAlarmOptOut(construct, prop, props[prop], defaults[prop]);
  }
}

/**
 * One alarm of a construct, declared as data: its defaults and checks (as
 * {@link AlarmDefaults}), its construct id, its metric and its description.
 * `C` is what the metric is read from (the construct, or what it exposes to
 * its alarms).
 *
 * @internal
 */
export interface ConstructAlarm<C> extends AlarmDefaults {
  /** Construct id of the alarm under its construct: public contract (it decides the logical id). */
  readonly id: string;
  /** An anomaly-detection alarm: the threshold is the band width in standard deviations. */
  readonly anomalyDetection?: boolean;
  /** The metric the alarm watches (its period is set from the settings). */
  metric(source: C, config: AlarmConfig): cloudwatch.Metric | cloudwatch.MathExpression;
  /** What fires it, e.g. `more than 5% of requests answered 5XX in 3 of 5 1-minute periods`. */
  describe(config: AlarmConfig): string;
  /**
   * The threshold CloudWatch compares with, from the one the user gives.
   *
   * @default - the same
   */
  toMetricThreshold?(threshold: number): number;
}

/**
 * One alarm of a construct watched by a metric-math alarm the stack shares
 * (up to 10 members each), declared as data.
 *
 * @internal
 */
export interface SharedConstructAlarm<C, S> extends AlarmDefaults {
  /** The shared signal the construct joins. */
  readonly signal: S;
  /**
   * The construct's defaults in the metric's unit, the same for every member
   * (they decide which shared alarm keeps the short id).
   *
   * @default - the declaration's own settings
   */
  readonly metricDefaults?: AlarmConfig;
  /** What fires it, for the shared alarm's description. */
  describe(config: AlarmConfig, source: C): string;
  /**
   * The settings in the metric's own unit (e.g. milliseconds of the function's timeout from a percentage).
   *
   * @default - the same
   */
  toMetricConfig?(config: AlarmConfig, source: C): AlarmConfig;
}
