import type { ComponentType } from 'react';
import {
  AlertOutlined,
  ApiOutlined,
  BarChartOutlined,
  DashboardOutlined,
  PhoneOutlined,
  ReadOutlined,
  RetweetOutlined,
  WifiOutlined,
  AppstoreOutlined,
  AuditOutlined,
  BankOutlined,
  CalculatorOutlined,
  CarryOutOutlined,
  ClockCircleOutlined,
  CoffeeOutlined,
  ContainerOutlined,
  CustomerServiceOutlined,
  DollarOutlined,
  ExceptionOutlined,
  FieldTimeOutlined,
  FileDoneOutlined,
  HeartOutlined,
  HistoryOutlined,
  HourglassOutlined,
  InboxOutlined,
  MedicineBoxOutlined,
  HomeOutlined,
  PieChartOutlined,
  MobileOutlined,
  ProfileOutlined,
  ReconciliationOutlined,
  RiseOutlined,
  ScheduleOutlined,
  ShopOutlined,
  SafetyCertificateOutlined,
  SettingOutlined,
  SolutionOutlined,
  SwapOutlined,
  TeamOutlined,
  UnorderedListOutlined,
  UploadOutlined,
  UserSwitchOutlined,
  WalletOutlined,
} from '@ant-design/icons';
import { CheckSquareOutlined, DisconnectOutlined, InteractionOutlined, StarOutlined } from '@ant-design/icons';
import { ApartmentOutlined, CommentOutlined, OrderedListOutlined, SmileOutlined } from '@ant-design/icons';
import { FundOutlined, PrinterOutlined } from '@ant-design/icons';
import { navEntries } from './modules';
import type { NavItem } from './modules/types';

export type { NavItem };

/**
 * The console's menu, from the modules' entries: an item shows when the user's role allows its
 * action, unless the entry is hidden for that role. The workbench (/) comes first for everyone
 * (layout.tsx).
 */
export const navItems: NavItem[] = navEntries;

export function allowedNav(actions: string[], role?: string): NavItem[] {
  return navItems.filter((n) => actions.includes(n.action) && !(role && n.hiddenFor?.includes(role)));
}

/** The menu item a path belongs to: the longest matching prefix (/imports/history before /imports). */
export function selectedNav(pathname: string, items: NavItem[]): string | undefined {
  return items.filter((n) => pathname === n.path || pathname.startsWith(`${n.path}/`)).sort((a, b) => b.path.length - a.path.length)[0]?.path;
}

/**
 * The icon of each menu entry: what the menu shows when it is collapsed to a strip (a tablet, or
 * by the user). An entry without one shows a generic icon.
 */
const icons: Record<string, ComponentType> = {
  '/': HomeOutlined,
  '/register': SolutionOutlined,
  '/imports': UploadOutlined,
  '/imports/history': HistoryOutlined,
  '/conflicts': SwapOutlined,
  '/catalogue': ProfileOutlined,
  '/changes': UnorderedListOutlined,
  '/runs': CalculatorOutlined,
  '/rolls': FileDoneOutlined,
  '/payments': BankOutlined,
  '/assessments': CarryOutOutlined,
  '/assessments/due': FieldTimeOutlined,
  '/assessments/coverage': PieChartOutlined,
  '/assessments/quality': SafetyCertificateOutlined,
  '/visits/plans': ScheduleOutlined,
  '/visits/assign': UserSwitchOutlined,
  '/visits/overdue': ClockCircleOutlined,
  '/visits/followups': AlertOutlined,
  '/m/visits': MobileOutlined,
  '/timebank': HourglassOutlined,
  '/timebank/pending': InboxOutlined,
  '/timebank/checks': ReconciliationOutlined,
  '/timebank/me': WalletOutlined,
  // home services (issue 17, services)
  '/services': CustomerServiceOutlined,
  '/services/anomalies': ExceptionOutlined,
  '/services/settlements': DollarOutlined,
  '/services/providers': ShopOutlined,
  '/services/items': ContainerOutlined,
  '/services/coverage': RiseOutlined,
  '/services/beds': HeartOutlined,
  '/services/meals': CoffeeOutlined,
  '/m/services': MedicineBoxOutlined,
  // end services
  // alarms and the hotline (issue 18)
  '/alarms': AlertOutlined,
  '/alarms/supervisor': DashboardOutlined,
  '/alarms/devices': WifiOutlined,
  '/alarms/vendors': ApiOutlined,
  '/alarms/reports': BarChartOutlined,
  '/hotline': PhoneOutlined,
  '/hotline/callbacks': RetweetOutlined,
  '/hotline/knowledge': ReadOutlined,
  // end alarms
  // facilities, admission, complaints (issue 19)
  '/facilities': ApartmentOutlined,
  '/admission': OrderedListOutlined,
  '/complaints': CommentOutlined,
  '/complaints/surveys': SmileOutlined,
  // end facilities, admission, complaints
  // supervision (issue 19)
  '/supervision': InteractionOutlined,
  '/supervision/inspections': CheckSquareOutlined,
  '/supervision/ratings': StarOutlined,
  '/supervision/conflicts': DisconnectOutlined,
  // end supervision
  // indicators (issue 20)
  '/indicators': FundOutlined,
  '/indicators/report': PrinterOutlined,
  // end indicators
  '/audit': AuditOutlined,
  '/users': TeamOutlined,
  '/settings': SettingOutlined,
};

export function navIcon(path: string): ComponentType {
  return icons[path] ?? AppstoreOutlined;
}
