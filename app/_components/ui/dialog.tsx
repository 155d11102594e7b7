"use client";
import type { ReactNode } from "react";
import { Dialog as AriaDialog, Heading, Modal, ModalOverlay } from "react-aria-components";

/**
 * A modal dialog (React Aria): focus moves in and is trapped until it closes, Escape and a click
 * outside close it (unless `dismissable` is false), focus returns to what opened it, the page behind
 * cannot be scrolled, and on a phone it fills the width instead of spilling off-screen.
 */
export function Dialog({
  title,
  isOpen,
  onClose,
  dismissable = true,
  size = "md",
  children,
  testId,
}: {
  title: ReactNode;
  isOpen: boolean;
  onClose: () => void;
  dismissable?: boolean;
  size?: "md" | "lg";
  children: ReactNode;
  testId?: string;
}) {
  return (
    <ModalOverlay
      isOpen={isOpen}
      onOpenChange={(open) => !open && onClose()}
      isDismissable={dismissable}
      isKeyboardDismissDisabled={!dismissable}
      className="fixed inset-0 z-20 overflow-y-auto bg-slate-900/40 p-3 sm:p-4"
    >
      <div className="flex min-h-full items-center justify-center">
        <Modal className={`my-4 w-full ${size === "lg" ? "max-w-2xl" : "max-w-lg"} min-w-0 rounded-xl bg-white shadow-xl`}>
          <AriaDialog className="p-4 outline-none sm:p-6" data-testid={testId}>
            <Heading slot="title" className="break-words text-lg font-semibold">{title}</Heading>
            {children}
          </AriaDialog>
        </Modal>
      </div>
    </ModalOverlay>
  );
}
