import BetterSqlite3, { type Database, type Statement } from 'better-sqlite3';
import type {
  Ec2Store,
  FaultRuleRecord,
  ImageRecord,
  InstanceRecord,
  KeyPairRecord,
  OutboxEventRecord,
  SecurityGroupRecord,
  SnapshotRecord,
  StoreImageTaskRecord,
} from '../ports/ec2-store.js';
import { migrateEc2Schema } from './ec2-schema.js';

type Row = { record: string };
const parse = <T>(rows: unknown[]): T[] => (rows as Row[]).map((r) => JSON.parse(r.record) as T);

/**
 * Ec2Store on SQLite (better-sqlite3, synchronous; the async signatures are the port's). Pass an
 * open Database to share a file with other modules, or use `SqliteEc2Store.open(path)`.
 */
export class SqliteEc2Store implements Ec2Store {
  private readonly s: Record<string, Statement>;

  constructor(private readonly db: Database) {
    migrateEc2Schema(db);
    const p = (sql: string) => db.prepare(sql);
    this.s = {
      getImage: p('SELECT record FROM ec2_images WHERE region = ? AND image_id = ?'),
      listImages: p('SELECT record FROM ec2_images WHERE region = ? ORDER BY image_id'),
      putImage: p(`INSERT OR REPLACE INTO ec2_images (region, image_id, account_id, state, due_at, deregistered_at, record)
                   VALUES (@region, @imageId, @accountId, @state, @dueAt, @deregisteredAt, @record)`),
      deleteImage: p('DELETE FROM ec2_images WHERE region = ? AND image_id = ?'),
      dueTransitions: p(`SELECT record FROM ec2_images WHERE state = 'pending' AND due_at <= ? ORDER BY due_at, image_id LIMIT ?`),
      deregisteredBefore: p(`SELECT record FROM ec2_images WHERE state = 'deregistered' AND deregistered_at <= ?`),
      nextImageDue: p(`SELECT MIN(due_at) AS due FROM ec2_images WHERE state = 'pending'`),
      nextTaskDue: p(`SELECT MIN(due_at) AS due FROM ec2_store_tasks WHERE state = 'InProgress'`),
      addOutbox: p('INSERT OR IGNORE INTO ec2_outbox (id, json) VALUES (?, ?)'),
      outbox: p('SELECT seq, id, json FROM ec2_outbox ORDER BY seq LIMIT ?'),
      deleteOutbox: p('DELETE FROM ec2_outbox WHERE id = ?'),
      putTask: p(`INSERT OR REPLACE INTO ec2_store_tasks (region, bucket, object_key, account_id, image_id, state, due_at, record)
                  VALUES (@region, @bucket, @objectKey, @accountId, @imageId, @state, @dueAt, @record)`),
      getTask: p('SELECT record FROM ec2_store_tasks WHERE region = ? AND bucket = ? AND object_key = ?'),
      listTasks: p('SELECT record FROM ec2_store_tasks WHERE account_id = ? AND region = ? ORDER BY image_id, object_key'),
      dueTasks: p(`SELECT record FROM ec2_store_tasks WHERE state = 'InProgress' AND due_at <= ?`),
      putFault: p('INSERT OR REPLACE INTO ec2_fault_rules (id, created_at, record) VALUES (?, ?, ?)'),
      listFaults: p('SELECT record FROM ec2_fault_rules ORDER BY created_at, id'),
      deleteFault: p('DELETE FROM ec2_fault_rules WHERE id = ?'),
      getInstance: p('SELECT record FROM ec2_instances WHERE region = ? AND instance_id = ?'),
      listInstances: p('SELECT record FROM ec2_instances WHERE region = ? ORDER BY instance_id'),
      putInstance: p(`INSERT OR REPLACE INTO ec2_instances (region, instance_id, account_id, state, due_at, terminated_at, record)
                      VALUES (@region, @instanceId, @accountId, @state, @dueAt, @terminatedAt, @record)`),
      deleteInstance: p('DELETE FROM ec2_instances WHERE region = ? AND instance_id = ?'),
      dueInstances: p('SELECT record FROM ec2_instances WHERE due_at IS NOT NULL AND due_at <= ? ORDER BY due_at, instance_id LIMIT ?'),
      terminatedBefore: p(`SELECT record FROM ec2_instances WHERE state = 'terminated' AND terminated_at <= ?`),
      putKeyPair: p('INSERT OR REPLACE INTO ec2_key_pairs (account_id, region, key_name, record) VALUES (?, ?, ?, ?)'),
      listKeyPairs: p('SELECT record FROM ec2_key_pairs WHERE account_id = ? AND region = ? ORDER BY key_name'),
      deleteKeyPair: p('DELETE FROM ec2_key_pairs WHERE account_id = ? AND region = ? AND key_name = ?'),
      putGroup: p('INSERT OR REPLACE INTO ec2_security_groups (region, group_id, account_id, record) VALUES (?, ?, ?, ?)'),
      listGroups: p('SELECT record FROM ec2_security_groups WHERE account_id = ? AND region = ? ORDER BY group_id'),
      deleteGroup: p('DELETE FROM ec2_security_groups WHERE region = ? AND group_id = ?'),
      nextInstanceDue: p('SELECT MIN(due_at) AS due FROM ec2_instances WHERE due_at IS NOT NULL'),
      getSnapshot: p('SELECT record FROM ec2_snapshots WHERE region = ? AND snapshot_id = ?'),
      listSnapshots: p('SELECT record FROM ec2_snapshots WHERE region = ? ORDER BY snapshot_id'),
      putSnapshot: p(`INSERT OR REPLACE INTO ec2_snapshots (region, snapshot_id, account_id, state, due_at, record)
                      VALUES (@region, @snapshotId, @accountId, @state, @dueAt, @record)`),
      deleteSnapshot: p('DELETE FROM ec2_snapshots WHERE region = ? AND snapshot_id = ?'),
      dueSnapshots: p(`SELECT record FROM ec2_snapshots WHERE state = 'pending' AND due_at <= ? ORDER BY due_at, snapshot_id LIMIT ?`),
      nextSnapshotDue: p(`SELECT MIN(due_at) AS due FROM ec2_snapshots WHERE state = 'pending'`),
    };
  }

  static open(path: string): SqliteEc2Store {
    const db = new BetterSqlite3(path);
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = NORMAL');
    return new SqliteEc2Store(db);
  }

  close(): void {
    this.db.close();
  }

  async getImage(region: string, imageId: string): Promise<ImageRecord | undefined> {
    return parse<ImageRecord>([this.s.getImage!.get(region, imageId)].filter(Boolean))[0];
  }

  async listImages(region: string): Promise<ImageRecord[]> {
    return parse(this.s.listImages!.all(region));
  }

  async putImage(image: ImageRecord): Promise<void> {
    this.writeImage(image);
  }

  async putImageWithEvent(image: ImageRecord, event: OutboxEventRecord): Promise<void> {
    this.db.transaction(() => {
      this.writeImage(image);
      this.s.addOutbox!.run(event.id, event.json);
    })();
  }

  private writeImage(image: ImageRecord): void {
    this.s.putImage!.run({
      region: image.region,
      imageId: image.imageId,
      accountId: image.accountId,
      state: image.state,
      dueAt: image.state === 'pending' ? (image.transition?.dueAt ?? null) : null,
      deregisteredAt: image.deregisteredAt ?? null,
      record: JSON.stringify(image),
    });
  }

  async deleteImage(region: string, imageId: string): Promise<void> {
    this.s.deleteImage!.run(region, imageId);
  }

  async dueTransitions(now: number, limit: number): Promise<ImageRecord[]> {
    return parse(this.s.dueTransitions!.all(now, limit));
  }

  async deregisteredBefore(before: number): Promise<ImageRecord[]> {
    return parse(this.s.deregisteredBefore!.all(before));
  }

  async nextDueAt(): Promise<number | undefined> {
    const dues = [this.s.nextImageDue!.get(), this.s.nextTaskDue!.get(), this.s.nextInstanceDue!.get(), this.s.nextSnapshotDue!.get()]
      .map((r) => (r as { due: number | null }).due)
      .filter((d): d is number => d !== null);
    return dues.length === 0 ? undefined : Math.min(...dues);
  }

  async outboxEvents(limit: number): Promise<OutboxEventRecord[]> {
    return this.s.outbox!.all(limit) as OutboxEventRecord[];
  }

  async deleteOutboxEvent(id: string): Promise<void> {
    this.s.deleteOutbox!.run(id);
  }

  async putStoreTask(task: StoreImageTaskRecord): Promise<void> {
    this.s.putTask!.run({
      region: task.region,
      bucket: task.bucket,
      objectKey: task.objectKey,
      accountId: task.accountId,
      imageId: task.imageId,
      state: task.state,
      dueAt: task.dueAt,
      record: JSON.stringify(task),
    });
  }

  async getStoreTask(region: string, bucket: string, objectKey: string): Promise<StoreImageTaskRecord | undefined> {
    return parse<StoreImageTaskRecord>([this.s.getTask!.get(region, bucket, objectKey)].filter(Boolean))[0];
  }

  async listStoreTasks(accountId: string, region: string): Promise<StoreImageTaskRecord[]> {
    return parse(this.s.listTasks!.all(accountId, region));
  }

  async dueStoreTasks(now: number): Promise<StoreImageTaskRecord[]> {
    return parse(this.s.dueTasks!.all(now));
  }

  async putFaultRule(rule: FaultRuleRecord): Promise<void> {
    this.s.putFault!.run(rule.id, rule.createdAt, JSON.stringify(rule));
  }

  async listFaultRules(): Promise<FaultRuleRecord[]> {
    return parse(this.s.listFaults!.all());
  }

  async deleteFaultRule(id: string): Promise<boolean> {
    return this.s.deleteFault!.run(id).changes > 0;
  }

  async getInstance(region: string, instanceId: string): Promise<InstanceRecord | undefined> {
    return parse<InstanceRecord>([this.s.getInstance!.get(region, instanceId)].filter(Boolean))[0];
  }

  async listInstances(region: string): Promise<InstanceRecord[]> {
    return parse(this.s.listInstances!.all(region));
  }

  async putInstancesWithEvents(instances: readonly InstanceRecord[], events: readonly OutboxEventRecord[]): Promise<void> {
    this.db.transaction(() => {
      for (const i of instances) {
        this.s.putInstance!.run({
          region: i.region,
          instanceId: i.instanceId,
          accountId: i.accountId,
          state: i.state,
          dueAt: i.transition?.dueAt ?? null,
          terminatedAt: i.terminatedAt ?? null,
          record: JSON.stringify(i),
        });
      }
      for (const e of events) this.s.addOutbox!.run(e.id, e.json);
    })();
  }

  async deleteInstance(region: string, instanceId: string): Promise<void> {
    this.s.deleteInstance!.run(region, instanceId);
  }

  async dueInstanceTransitions(now: number, limit: number): Promise<InstanceRecord[]> {
    return parse(this.s.dueInstances!.all(now, limit));
  }

  async terminatedBefore(before: number): Promise<InstanceRecord[]> {
    return parse(this.s.terminatedBefore!.all(before));
  }

  async getSnapshot(region: string, snapshotId: string): Promise<SnapshotRecord | undefined> {
    return parse<SnapshotRecord>([this.s.getSnapshot!.get(region, snapshotId)].filter(Boolean))[0];
  }

  async listSnapshots(region: string): Promise<SnapshotRecord[]> {
    return parse(this.s.listSnapshots!.all(region));
  }

  async putSnapshotsWithEvents(snapshots: readonly SnapshotRecord[], events: readonly OutboxEventRecord[]): Promise<void> {
    this.db.transaction(() => {
      for (const s of snapshots) {
        this.s.putSnapshot!.run({
          region: s.region,
          snapshotId: s.snapshotId,
          accountId: s.accountId,
          state: s.state,
          dueAt: s.state === 'pending' ? (s.transition?.dueAt ?? null) : null,
          record: JSON.stringify(s),
        });
      }
      for (const e of events) this.s.addOutbox!.run(e.id, e.json);
    })();
  }

  async deleteSnapshot(region: string, snapshotId: string): Promise<boolean> {
    return this.s.deleteSnapshot!.run(region, snapshotId).changes > 0;
  }

  async dueSnapshotTransitions(now: number, limit: number): Promise<SnapshotRecord[]> {
    return parse(this.s.dueSnapshots!.all(now, limit));
  }

  async putKeyPair(keyPair: KeyPairRecord): Promise<void> {
    this.s.putKeyPair!.run(keyPair.accountId, keyPair.region, keyPair.keyName, JSON.stringify(keyPair));
  }

  async listKeyPairs(accountId: string, region: string): Promise<KeyPairRecord[]> {
    return parse(this.s.listKeyPairs!.all(accountId, region));
  }

  async deleteKeyPair(accountId: string, region: string, keyName: string): Promise<boolean> {
    return this.s.deleteKeyPair!.run(accountId, region, keyName).changes > 0;
  }

  async putSecurityGroup(group: SecurityGroupRecord): Promise<void> {
    this.s.putGroup!.run(group.region, group.groupId, group.accountId, JSON.stringify(group));
  }

  async listSecurityGroups(accountId: string, region: string): Promise<SecurityGroupRecord[]> {
    return parse(this.s.listGroups!.all(accountId, region));
  }

  async deleteSecurityGroup(region: string, groupId: string): Promise<boolean> {
    return this.s.deleteGroup!.run(region, groupId).changes > 0;
  }
}
