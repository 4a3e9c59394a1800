/**
 * Property names, casing and enum strings are Microsoft's own (v1.0 CSDL, beta where noted), so a value read from
 * Graph can be used as it is. `@microsoft/microsoft-graph-types` 2.43 predates passkey profiles, which is why these
 * are declared here. Every enum also admits `string`: Graph's evolvable enums can return members the code has not
 * seen yet (`unknownFutureValue` and anything after it), and the bot must not break on them.
 */

export type EvolvableEnum<T extends string> = T | (string & {});
