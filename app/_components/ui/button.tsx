"use client";
import type { ReactNode } from "react";
import { Button as AriaButton, type ButtonProps as AriaButtonProps } from "react-aria-components";
import { buttonVariants, type ButtonVariant } from "@/app/_components/ui/classes";

export type ButtonProps = Omit<AriaButtonProps, "className" | "children"> & {
  variant?: ButtonVariant;
  className?: string;
  children: ReactNode;
  /** A plain click handler, as on a native button; React Aria's `onPress` also works. */
  onClick?: () => void;
};

/**
 * The portal's one button (React Aria: the same press behaviour for mouse, touch and keyboard, and a
 * focus ring only for keyboard users). `type` defaults to "button" so no button submits a form by accident.
 */
export function Button({ variant = "primary", className = "", onClick, onPress, type = "button", children, ...props }: ButtonProps) {
  return (
    <AriaButton {...props} type={type} onPress={onPress ?? (onClick ? () => onClick() : undefined)} className={`${buttonVariants[variant]} ${className}`}>
      {children}
    </AriaButton>
  );
}
