import { Tag } from 'antd';
import { useI18n } from '../../shared/i18n-core';
import { tagColors } from '../../shared/labels';
import { useSearchTags, type SearchTag } from './api';

/** A tag's label in the console's language: the server's (from the fact declarations), its key until they load. */
export function tagText(tags: readonly SearchTag[] | undefined, key: string, locale: string): string {
  const t = tags?.find((x) => x.key === key);
  return t ? (locale === 'en' ? t.labelEn : t.label) : key;
}

/** The tags on a person row or profile, labelled as the server declares them. */
export function PersonTags({ tags }: { tags: string[] }) {
  const { locale } = useI18n();
  const declared = useSearchTags();
  return (
    <>
      {tags.map((k) => (
        <Tag key={k} color={tagColors[k]} style={{ marginBottom: 2 }}>
          {tagText(declared.data, k, locale)}
        </Tag>
      ))}
    </>
  );
}
