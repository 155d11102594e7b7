"use client";
import type { ReactNode } from "react";
import { ComboBox as AriaComboBox, Input, ListBox, ListBoxItem, Popover } from "react-aria-components";
import { controlClass } from "@/app/_components/ui/classes";

/**
 * A search-as-you-type combobox over items the caller loads (React Aria's ComboBox, WAI-ARIA 1.2):
 * arrow keys move through the matches, Enter picks, Escape closes; the list opens as one types and
 * says `emptyText` when nothing matches. Picking calls `onPick` and leaves the box for the next search.
 */
export function ComboBox<T extends { id: string }>({
  id,
  label,
  listLabel,
  items,
  query,
  onQueryChange,
  onPick,
  textOf,
  renderItem,
  emptyText,
  showEmpty = true,
  placeholder,
  invalid = false,
  describedBy,
  className = "",
  testId,
}: {
  id?: string;
  label: string;
  listLabel: string;
  items: T[];
  query: string;
  onQueryChange: (text: string) => void;
  onPick: (item: T) => void;
  textOf: (item: T) => string;
  renderItem: (item: T) => ReactNode;
  emptyText: ReactNode;
  /** Whether the list stays open to say `emptyText` when nothing matches; false closes it (say, with no query). */
  showEmpty?: boolean;
  placeholder?: string;
  invalid?: boolean;
  describedBy?: string;
  className?: string;
  testId?: string;
}) {
  return (
    <AriaComboBox
      aria-label={label}
      items={items}
      inputValue={query}
      onInputChange={onQueryChange}
      selectedKey={null}
      onSelectionChange={(key) => {
        const item = items.find((i) => i.id === key);
        if (item) onPick(item);
      }}
      menuTrigger="input"
      allowsEmptyCollection={showEmpty}
      isInvalid={invalid}
      className={`relative ${className}`}
    >
      <Input id={id} placeholder={placeholder} aria-describedby={describedBy} autoComplete="off" className={`${controlClass} w-full`} />
      <Popover className="max-h-60 w-[var(--trigger-width)] overflow-y-auto rounded-md border border-slate-200 bg-white text-sm shadow-lg" offset={4}>
        <ListBox<T> aria-label={listLabel} data-testid={testId} renderEmptyState={() => <p className="px-3 py-2 text-slate-500">{emptyText}</p>} className="outline-none">
          {(item) => (
            <ListBoxItem id={item.id} textValue={textOf(item)} className="cursor-pointer px-3 py-2 outline-none data-[focused]:bg-indigo-50 data-[hovered]:bg-indigo-50">
              {renderItem(item)}
            </ListBoxItem>
          )}
        </ListBox>
      </Popover>
    </AriaComboBox>
  );
}
