// Each page is a file of its own, loaded when it is first shown (or ahead of
// it, as the overview while the sign-in form waits): the window starts with
// the sign-in form and the shell only.
export const views = {
  overview: () => import('../pages/Overview.svelte'),
  settings: () => import('../pages/Settings.svelte'),
  supplier: () => import('../pages/SupplierPage.svelte'),
  suppliers: () => import('../pages/Suppliers.svelte'),
  reports: () => import('../pages/Reports.svelte'),
  assessment: () => import('../pages/AssessmentPage.svelte'),
  assessments: () => import('../pages/Assessments.svelte'),
};

export type View = keyof typeof views;
