import { ArnFormat, Aws, Duration, Fn, Names, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as backup from 'aws-cdk-lib/aws-backup';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as events from 'aws-cdk-lib/aws-events';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct, IConstruct } from 'constructs';
import { grantKeyUseViaService, StackKey } from '../../core/encryption';
import { AcknowledgementCause } from '../../core/justification';
import { stackSingleton } from '../../core/private/stack-singleton';
import { acknowledgeWildcardResources } from '../../core/private/wildcard-findings';
import { ScopedRole } from '../../core/role';

/** Construct id of the per-stack backup plan. Public contract: do not rename. */
export const BACKUP_PLAN_ID = 'AegisBackupPlan';
/** How long daily backups are kept. */
export const BACKUP_RETENTION = Duration.days(35);

/**
 * The stack's AWS Backup plan for REGULATED data stores: a vault encrypted
 * with the stack key, daily backups kept 35 days, and one role with exactly
 * the backup permissions of the tables it selects (no AWS-managed policy).
 *
 * @internal
 */
export class AegisBackupPlan extends Construct {
  private readonly plan: backup.BackupPlan;
  private readonly role: ScopedRole;

  constructor(scope: Construct, id: string) {
    super(scope, id);
    const key = StackKey.of(this);
    // Named after the stack's id: a vault kept from a deleted stack (RETAIN) never blocks a redeploy.
    const vault = new backup.BackupVault(this, 'Vault', {
      backupVaultName: `aegis-${Fn.select(2, Fn.split('/', Aws.STACK_ID))}`,
      encryptionKey: key,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    this.plan = new backup.BackupPlan(this, 'Plan', {
      backupPlanName: Names.uniqueResourceName(this, { maxLength: 50 }),
      backupVault: vault,
      backupPlanRules: [
        new backup.BackupPlanRule({
          ruleName: 'Daily',
          scheduleExpression: events.Schedule.cron({ hour: '3', minute: '0' }),
          deleteAfter: BACKUP_RETENTION,
        }),
      ],
    });
    // REGULATED only: the regulated packs forbid inline policies.
    this.role = new ScopedRole(this, 'Role', {
      assumedBy: new iam.ServicePrincipal('backup.amazonaws.com', { conditions: { StringEquals: { 'aws:SourceAccount': Stack.of(this).account } } }),
      description: 'cdk-aegis: AWS Backup role for the tables of this stack',
      customerManagedPolicy: true,
    });
    grantKeyUseViaService(key, this.role, 'backup', ['kms:Decrypt', 'kms:DescribeKey', 'kms:GenerateDataKey']);
    this.role.addToPrincipalPolicy(new iam.PolicyStatement({
      actions: ['backup:DescribeBackupVault', 'backup:CopyIntoBackupVault'],
      resources: [vault.backupVaultArn],
    }));
    this.role.addToPrincipalPolicy(new iam.PolicyStatement({
      actions: ['kms:CreateGrant'],
      resources: [key.keyArn],
      conditions: { Bool: { 'kms:GrantIsForAWSResource': 'true' } },
    }));
  }

  /** Backs `table` up daily with this plan, and lets the plan's role do it for that table only. */
  public addTable(table: dynamodb.Table): void {
    const backups = Stack.of(table).formatArn({
      service: 'dynamodb',
      resource: 'table',
      resourceName: `${table.tableName}/backup/*`,
      arnFormat: ArnFormat.SLASH_RESOURCE_NAME,
    });
    this.role.addToPrincipalPolicy(new iam.PolicyStatement({
      actions: ['dynamodb:DescribeTable', 'dynamodb:CreateBackup', 'dynamodb:ListTagsOfResource', 'dynamodb:StartAwsBackupJob'],
      resources: [table.tableArn],
    }));
    this.role.addToPrincipalPolicy(new iam.PolicyStatement({ actions: ['dynamodb:DescribeBackup', 'dynamodb:DeleteBackup'], resources: [backups] }));
    if (table.encryptionKey) {
      grantKeyUseViaService(table.encryptionKey, this.role, 'dynamodb', ['kms:Decrypt', 'kms:DescribeKey', 'kms:GenerateDataKey']);
    }
    acknowledgeWildcardResources(
      this.role,
      [backups],
      AcknowledgementCause.AWS_FORCED,
      'DynamoDB names each backup when it takes it (table/<name>/backup/<id>); the table\'s backup prefix is the narrowest resource',
    );
    const selectionId = `Table${Names.nodeUniqueId(table.node)}`;
    this.plan.addSelection(selectionId, {
      backupSelectionName: selectionId.length <= 50 ? selectionId : `Table${Names.uniqueResourceName(table, { maxLength: 45 })}`,
      resources: [backup.BackupResource.fromDynamoDbTable(table)],
      role: this.role,
      disableDefaultBackupPolicy: true,
    });
  }
}

/** The stack's backup plan, created on first use. @internal */
export function backupPlanOf(scope: IConstruct): AegisBackupPlan {
  return stackSingleton(scope, BACKUP_PLAN_ID, "cdk-aegis's backup plan", (c) => c instanceof AegisBackupPlan, (stack) => new AegisBackupPlan(stack, BACKUP_PLAN_ID));
}
