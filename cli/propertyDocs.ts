import { propertyCatalog, type PropertyDoc } from '../properties/index.js';

/**
 * The `doc` of each built-in property that names what protects it or how to see it fail, by id (read
 * from the catalog: each property's file declares its own). Prefer `propertyInfo(id)?.doc`.
 */
export const PROPERTY_DOCS: Readonly<Record<string, PropertyDoc & { readonly protectedBy: readonly string[] }>> =
  Object.fromEntries(
    propertyCatalog
      .filter(({ doc }) => doc.protectedBy !== undefined || doc.seeItFail !== undefined)
      .map(({ id, doc }) => [id, { ...doc, protectedBy: doc.protectedBy ?? [] }]),
  );
