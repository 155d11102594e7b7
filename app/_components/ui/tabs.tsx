"use client";
import type { Key, ReactNode } from "react";
import { Tab, TabList, TabPanel, Tabs as AriaTabs } from "react-aria-components";

export type TabItem = { id: string; label: ReactNode; content: ReactNode };

/** Tabs (React Aria): arrow keys move between tabs, each panel is labelled by its tab. */
export function Tabs({ label, items, selected, onSelect }: { label: string; items: TabItem[]; selected?: string; onSelect?: (id: string) => void }) {
  return (
    <AriaTabs selectedKey={selected} onSelectionChange={onSelect ? (key: Key) => onSelect(String(key)) : undefined}>
      <TabList aria-label={label} className="flex gap-1 overflow-x-auto border-b border-slate-200">
        {items.map((t) => (
          <Tab
            key={t.id}
            id={t.id}
            className="-mb-px cursor-pointer whitespace-nowrap border-b-2 border-transparent px-3 py-2 text-sm font-medium text-slate-600 outline-none data-[hovered]:text-slate-900 data-[focus-visible]:ring-2 data-[focus-visible]:ring-indigo-400 data-[selected]:border-indigo-600 data-[selected]:text-indigo-700"
          >
            {t.label}
          </Tab>
        ))}
      </TabList>
      {items.map((t) => (
        <TabPanel key={t.id} id={t.id} className="pt-4 outline-none">
          {t.content}
        </TabPanel>
      ))}
    </AriaTabs>
  );
}
