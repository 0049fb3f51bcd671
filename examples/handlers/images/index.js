// Records the metadata of each uploaded image. EventBridge delivers "Object Created" events for
// incoming/*.jpg only; the function may read exactly those objects and write to the metadata table.
const { S3Client, HeadObjectCommand } = require('@aws-sdk/client-s3');
const { DynamoDBClient, PutItemCommand } = require('@aws-sdk/client-dynamodb');

const s3 = new S3Client({});
const dynamodb = new DynamoDBClient({});

exports.handler = async (event) => {
  const { bucket, object } = event.detail;
  const head = await s3.send(new HeadObjectCommand({ Bucket: bucket.name, Key: object.key }));
  await dynamodb.send(new PutItemCommand({
    TableName: process.env.TABLE_NAME,
    Item: {
      id: { S: object.key },
      size: { N: String(head.ContentLength ?? object.size) },
      contentType: { S: head.ContentType ?? 'application/octet-stream' },
      uploadedAt: { S: event.time },
    },
  }));
};
