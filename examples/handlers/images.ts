// Records the metadata of each uploaded image. EventBridge delivers "Object Created" events for incoming/*.jpg only; the
// function may read exactly those objects and write to the metadata table. Bundled by SecureFunction's `entry`.
import { DynamoDBClient, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { HeadObjectCommand, S3Client } from '@aws-sdk/client-s3';

interface ObjectCreated {
  readonly time: string;
  readonly detail: { readonly bucket: { readonly name: string }; readonly object: { readonly key: string; readonly size?: number } };
}

const s3 = new S3Client({});
const dynamodb = new DynamoDBClient({});

export const handler = async (event: ObjectCreated): Promise<void> => {
  const { bucket, object } = event.detail;
  const head = await s3.send(new HeadObjectCommand({ Bucket: bucket.name, Key: object.key }));
  await dynamodb.send(new PutItemCommand({
    TableName: process.env.TABLE_NAME,
    Item: {
      id: { S: object.key },
      size: { N: String(head.ContentLength ?? object.size ?? 0) },
      contentType: { S: head.ContentType ?? 'application/octet-stream' },
      uploadedAt: { S: event.time },
    },
  }));
};
