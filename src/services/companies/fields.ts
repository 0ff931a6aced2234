/** A company's own fields, named alike by the form, the page, the list, the import and the export. */
export interface CompanyDetails {
  name: string;
  domain: string | null;
  industry: string | null;
  size: string | null;
  phone: string | null;
  address: string | null;
}
