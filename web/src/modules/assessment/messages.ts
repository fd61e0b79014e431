/** The assessment console module's strings: zh first, en typed against it. */
export const zh = {
  'assessment.placeholder': 'assessment',
};

export const en: Record<keyof typeof zh, string> = {
  'assessment.placeholder': 'assessment',
};
