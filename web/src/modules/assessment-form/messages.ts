/** The assessment-form console module's strings: zh first, en typed against it. */
export const zh = {
  'assessment-form.placeholder': 'assessment-form',
};

export const en: Record<keyof typeof zh, string> = {
  'assessment-form.placeholder': 'assessment-form',
};
