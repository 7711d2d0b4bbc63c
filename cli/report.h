/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The report of one probed host, as text for people and as the --json
 * document described by doc/ppccompat-report.schema.json.
 */
#ifndef PPCCOMPAT_REPORT_H
#define PPCCOMPAT_REPORT_H

#include <stdio.h>

#include "ppccompat.h"

/* Bumped when a key changes meaning or disappears. */
#define REPORT_FORMAT_VERSION 1

/* not_asked_why: shown when the KVM ioctl was not tried ("--no-kvm", ...). */
void report_text(FILE *out, const struct ppccompat_host *h, const char *not_asked_why);
/*
 * hostname: the live system's (uname(2) nodename), so that baseline can tell
 * one host given twice from two hosts alike; NULL for a --sysroot tree,
 * whose host the files do not name.
 */
void report_json(FILE *out, const struct ppccompat_host *h, const char *hostname);
/* What the evidence level rests on, as a short phrase ("the device tree"). */
const char *report_evidence_basis(const struct ppccompat_host *h);

#endif
