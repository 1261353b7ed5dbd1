/*
 * The calendar day licenses, credit records and consents are dated in: China Standard Time, UTC+8 all year. The
 * chaincode's own function, so the gateway and the chain can never count a day differently.
 */
export { chinaDateOf as chinaDate } from '@certhub/chaincode/dist/rules/china-date';
