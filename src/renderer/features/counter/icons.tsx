// Outline icons of the counter screens (24px grid, same stroke as components/icons.tsx).
// Decorative only: the text next to them carries the meaning.
import { icon } from '../../components/icons';

export { CheckIcon, DotsIcon, PlusIcon, UserIcon } from '../../components/icons';

export const SearchIcon = icon(
  <>
    <circle cx="11" cy="11" r="6.5" />
    <path d="M16 16l4.5 4.5" />
  </>,
);
export const BarcodeIcon = icon(<path d="M4 6v12M7 6v12M10.5 6v12M13 6v12M16.5 6v12M20 6v12" />);
export const MinusIcon = icon(<path d="M5 12h14" />);
export const TrashIcon = icon(<path d="M4 7h16M9 7V4.5h6V7M6.5 7l1 13h9l1-13M10 11v5.5M14 11v5.5" />);
export const EditIcon = icon(<path d="M4 20h4L19 9l-4-4L4 16zM13.5 6.5l4 4" />);
export const CloseIcon = icon(<path d="M6 6l12 12M18 6L6 18" />);
export const TagIcon = icon(
  <>
    <path d="M3.5 12.5V4h8.5l8.5 8.5-8.5 8.5z" />
    <circle cx="8" cy="8.5" r="1.4" />
  </>,
);
export const PauseIcon = icon(<path d="M9 5v14M15 5v14" />);
export const StackIcon = icon(<path d="M12 3l9 5-9 5-9-5zM3 12.5l9 5 9-5M3 17l9 5 9-5" />);
export const CashIcon = icon(
  <>
    <rect x="2.5" y="6" width="19" height="12" rx="2" />
    <circle cx="12" cy="12" r="2.75" />
    <path d="M6 9.5v.01M18 14.5v.01" />
  </>,
);
export const CardIcon = icon(
  <>
    <rect x="2.5" y="5" width="19" height="14" rx="2" />
    <path d="M2.5 10h19M6.5 15h4" />
  </>,
);
export const PhoneIcon = icon(
  <>
    <rect x="6.5" y="2.5" width="11" height="19" rx="2" />
    <path d="M10.5 18.5h3" />
  </>,
);
export const CreditIcon = icon(
  <>
    <path d="M6 3h11a2 2 0 0 1 2 2v16H8a2 2 0 0 1-2-2z" />
    <path d="M6 17a2 2 0 0 1 2-2h11M10 7h5M10 10.5h5" />
  </>,
);
export const PrintIcon = icon(
  <>
    <path d="M7 9V3.5h10V9M7 17H4.5V10.5a1.5 1.5 0 0 1 1.5-1.5h12a1.5 1.5 0 0 1 1.5 1.5V17H17" />
    <rect x="7" y="14" width="10" height="6.5" />
  </>,
);
export const PdfIcon = icon(
  <>
    <path d="M6 3h8l4 4v14H6z" />
    <path d="M14 3v4h4M9 13h6M9 16.5h6" />
  </>,
);
export const RefundIcon = icon(<path d="M9 14L4 9l5-5M4 9h10.5a5.5 5.5 0 0 1 0 11H11" />);
export const ReceiptIcon = icon(
  <>
    <path d="M6 3h12v18l-2-1.5-2 1.5-2-1.5-2 1.5-2-1.5L6 21z" />
    <path d="M9 8h6M9 11.5h6M9 15h3" />
  </>,
);
export const BoxIcon = icon(
  <>
    <path d="M3.5 7.5L12 3l8.5 4.5v9L12 21l-8.5-4.5z" />
    <path d="M3.5 7.5L12 12l8.5-4.5M12 12v9" />
  </>,
);
export const StarIcon = icon(<path d="M12 3.5l2.6 5.4 5.9.8-4.3 4.1 1 5.8L12 16.8l-5.2 2.8 1-5.8-4.3-4.1 5.9-.8z" />);
export const WifiOffIcon = icon(<path d="M3 3l18 18M8.5 16.5a5 5 0 0 1 7 0M5 12.5a10 10 0 0 1 4.5-2.4M19 12.5a10 10 0 0 0-2.8-1.9M2 9a14.5 14.5 0 0 1 4.2-2.6M22 9a14.5 14.5 0 0 0-9.7-3.9M12 20h.01" />);
