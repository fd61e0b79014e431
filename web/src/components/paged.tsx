import { useCallback, useEffect, useRef, useState, type DependencyList } from 'react';
import { Alert, Table, type TableProps } from 'antd';
import type { TablePaginationConfig } from 'antd/es/table';
import type { Page } from '../api';
import { useI18n } from '../i18n';

export type FetchPage<T> = (page: number, pageSize: number) => Promise<Page<T>>;

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
  setError: (error: string | null) => void;
  /** fetch the current page again */
  reload: () => void;
  /** the antd pagination props: current, pageSize, total, size changer, 共 n 条 */
  pagination: TablePaginationConfig;
}

/**
 * A server-paged list: page/pageSize/data/loading/error, refetched whenever `deps`, the page or the size
 * change (a stale answer is dropped). `fetchPage` must only read values listed in `deps`.
 */
export function usePaged<T>(fetchPage: FetchPage<T>, deps: DependencyList, opts: PagedOptions = {}): Paged<T> {
  const { t } = useI18n();
  const [ownPage, setOwnPage] = useState(1);
  const [ownPageSize, setOwnPageSize] = useState(opts.pageSize ?? 20);
  const [data, setData] = useState<Page<T>>({ items: [], total: 0 });
  const [loading, setLoading] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [generation, setGeneration] = useState(0);
  const { controlled } = opts;
  const page = controlled ? controlled.page : ownPage;
  const pageSize = controlled ? controlled.pageSize : ownPageSize;

  useEffect(() => {
    let live = true;
    setLoading(true);
    fetchPage(page, pageSize)
      .then((d) => { if (live) { setData(d); setError(null); } })
      .catch((e: Error) => live && setError(e.message))
      .finally(() => live && setLoading(false));
    return () => {
      live = false;
    };
    // fetchPage is a fresh closure each render; the caller's deps say when it changes
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [...deps, page, pageSize, generation]);

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
  const reload = useCallback(() => setGeneration((g) => g + 1), []);

  return {
    page,
    pageSize,
    setPage,
    data,
    loading,
    error,
    setError,
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
