/** Someone else changed the record between our read and our write (HTTP 412 on an ETag-conditional update). */
export class ConcurrentUpdateError extends Error {
  constructor(
    readonly table: string,
    readonly partitionKey: string,
    readonly rowKey: string,
  ) {
    super(
      `A record must be updated from its latest version: ${table}/${partitionKey}/${rowKey} changed since it was read`,
    );
    this.name = "ConcurrentUpdateError";
  }
}
