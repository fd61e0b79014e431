import { useCallback, useRef, useState } from 'react';
import { keepPreviousData, useQuery, type QueryKey } from '@tanstack/react-query';
import type { ReactNode } from 'react';
import { Alert, Empty, List, Table, type TableProps } from 'antd';
import type { TablePaginationConfig } from 'antd/es/table';
import type { Page } from './api';
import { useI18n } from './i18n-core';

export type FetchPage<P> = (page: number, pageSize: number) => Promise<P>;

export interface PagedOptions {
  /** the initial page size when the hook keeps page and size itself (default 20) */
  pageSize?: number;
  /** page and size kept elsewhere (e.g. in the URL); onChange gets the next page (already reset to 1 on a size change) */
  controlled?: { page: number; pageSize: number; onChange: (page: number, pageSize: number) => void };
}

export interface Paged<T> {
  page: number;
  pageSize: number;
  setPage: (page: number) => void;
  data: Page<T>;
  loading: boolean;
  error: string | null;
  /** fetch the current page again */
  reload: () => void;
  /** the antd pagination props: current, pageSize, total, size changer, 共 n 条 */
  pagination: TablePaginationConfig;
}

/** A paged list whose answer carries more than its rows (e.g. the roll its lines belong to). */
export interface PagedWith<T, P extends Page<T>> extends Paged<T> {
  /** the latest answer (kept while the next page loads), undefined until the first */
  answer: P | undefined;
}

const EMPTY = { items: [], total: 0 };

/**
 * A server-paged list through TanStack Query: the query key is `key` plus the page and size, so a
 * change of either (or of anything the caller puts in `key`) fetches again while the rows shown stay
 * until the answer comes; a mutation that invalidates a prefix of `key` refreshes it. `fetchPage`
 * must only read values that are part of `key`.
 */
export function usePaged<P extends Page<unknown>>(key: QueryKey, fetchPage: FetchPage<P>, opts: PagedOptions = {}): PagedWith<P['items'][number], P> {
  type T = P['items'][number];
  const { t } = useI18n();
  const [ownPage, setOwnPage] = useState(1);
  const [ownPageSize, setOwnPageSize] = useState(opts.pageSize ?? 20);
  const { controlled } = opts;
  const page = controlled ? controlled.page : ownPage;
  const pageSize = controlled ? controlled.pageSize : ownPageSize;
  const query = useQuery({
    queryKey: [...key, { page, pageSize }],
    queryFn: () => fetchPage(page, pageSize),
    placeholderData: keepPreviousData,
  });
  const data: Page<T> = query.data ?? EMPTY;
  const answer = query.data;

  const latest = useRef({ controlled, pageSize });
  latest.current = { controlled, pageSize };
  const setPaging = useCallback((p: number, ps: number) => {
    const c = latest.current.controlled;
    if (c) {
      c.onChange(p, ps);
    } else {
      setOwnPage(p);
      setOwnPageSize(ps);
    }
  }, []);
  /** stable: safe to list in an effect's deps */
  const setPage = useCallback((p: number) => setPaging(p, latest.current.pageSize), [setPaging]);
  const change = (p: number, ps: number) => setPaging(ps !== pageSize ? 1 : p, ps);
  const { refetch } = query;
  const reload = useCallback(() => void refetch(), [refetch]);

  return {
    answer,
    page,
    pageSize,
    setPage,
    data,
    loading: query.isFetching,
    error: query.error ? query.error.message : null,
    reload,
    pagination: {
      current: page,
      pageSize,
      total: data.total,
      showSizeChanger: true,
      showTotal: (n) => t('common.total', { n }),
      onChange: change,
    },
  };
}

type PagedTableProps<T> = { paged: Paged<T>; testId?: string } & Omit<TableProps<T>, 'dataSource' | 'loading' | 'pagination'>;

/**
 * An antd Table fed by usePaged: rows, loading and pagination come from `paged`; the rest is passed on.
 * With `testId`, the page layout: the load error above, the table in a `data-testid` box.
 */
export function PagedTable<T extends object>({ paged, testId, ...props }: PagedTableProps<T>) {
  const table = <Table<T> {...props} loading={paged.loading} dataSource={paged.data.items} pagination={paged.pagination} />;
  if (testId === undefined) return table;
  return (
    <>
      {paged.error && <Alert type="error" showIcon message={paged.error} style={{ marginBottom: 16 }} />}
      <div data-testid={testId}>{table}</div>
    </>
  );
}

/**
 * The same page of items as cards, for a phone (< 576 px): the load error above, one list item per
 * row with `renderCard`, and the table's pagination, small and centred.
 */
export function PagedCards<T>({
  paged,
  testId,
  rowKey,
  renderCard,
}: {
  paged: Paged<T>;
  testId: string;
  rowKey: (r: T) => string | number;
  renderCard: (r: T) => ReactNode;
}) {
  return (
    <>
      {paged.error && <Alert type="error" showIcon message={paged.error} style={{ marginBottom: 12 }} />}
      <List<T>
        data-testid={testId}
        loading={paged.loading}
        dataSource={paged.data.items}
        pagination={{
          current: paged.pagination.current,
          pageSize: paged.pagination.pageSize,
          total: paged.pagination.total,
          onChange: paged.pagination.onChange,
          showTotal: paged.pagination.showTotal,
          size: 'small',
          align: 'center',
        }}
        locale={{ emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} /> }}
        renderItem={(r) => (
          <List.Item key={rowKey(r)} style={{ padding: '6px 0', border: 'none' }}>
            {renderCard(r)}
          </List.Item>
        )}
      />
    </>
  );
}
