import type { UnsignedLicenseDocument } from '@certhub/certs-service';

/** A business license for the DESIGN.md §1 example enterprise, before signing. Shared by the document tests. */
export function sampleUnsignedDocument(): UnsignedLicenseDocument {
  return {
    licenseId: '1.2.156.3005.2.11100000000013338W032.11220000013544541J.2430599.001.F',
    version: 1,
    previous: null,
    type: { code: '11100000000013338W032', name: '营业执照' },
    number: '914403001922038216',
    name: '营业执照',
    holder: { name: '深圳市示例科技有限公司', idType: '001', id: '914403001922038216' },
    issuer: { code: '11220000013544541J', name: '武汉市市场监督管理局', region: '420100' },
    issuedOn: '2026-11-21',
    validFrom: '2026-11-21',
    validUntil: null,
    fields: { registeredCapital: '1000万元人民币', scope: ['软件开发', '技术服务'], employees: 42 },
  };
}
