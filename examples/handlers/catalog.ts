// The storefront's catalogue API, behind the example's SecureDistribution at /api/*: CloudFront forwards the path, so
// the API's route is /api/products. The API's web ACL has already checked that the request came through CloudFront.
interface ApiResult {
  readonly statusCode: number;
  readonly headers: Record<string, string>;
  readonly body: string;
}

const PRODUCTS = [
  { sku: 'MUG-01', name: 'Mug', priceCents: 1200 },
  { sku: 'TEE-02', name: 'T-shirt', priceCents: 2500 },
];

export async function list(): Promise<ApiResult> {
  return { statusCode: 200, headers: { 'content-type': 'application/json', 'cache-control': 'no-store' }, body: JSON.stringify(PRODUCTS) };
}
