/* singly-presets.c: what the common mail providers need, and allow
 *
 * The limits are the providers' published ones where they publish them,
 * and kept a step below, since a provider that sees its limit reached
 * blocks the account for a day. Where nothing is published, the numbers
 * are deliberately low: a slow campaign arrives, a fast one that gets the
 * account suspended does not. Each Singly message has one recipient in
 * To: (Cc and Bcc columns add more, and providers count recipients), so
 * "messages" and "recipients" below are the same unless the template adds
 * copies.
 *
 * Reconnecting every 50 messages costs one TLS handshake and keeps well
 * away from per-connection limits that providers enforce without
 * documenting them.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include "singly-i18n.h"
#include "singly-presets.h"

static const char * const gmail_domains[] = { "gmail.com", "googlemail.com", NULL };
static const char * const outlook_domains[] = {
  "outlook.com", "hotmail.com", "live.com", "msn.com",
  "hotmail.co.uk", "hotmail.fr", "live.co.uk", "live.cn", NULL
};
static const char * const qq_domains[] = { "qq.com", "vip.qq.com", "foxmail.com", NULL };
static const char * const netease_domains[] = { "163.com", NULL };
static const char * const no_domains[] = { NULL };

static const SinglyPreset presets[] = {
  {
    /* Server: Google's "Set up Gmail with other email clients"
     * (support.google.com/mail/answer/7126229): smtp.gmail.com, SSL 465
     * or STARTTLS 587. Limits: "Limits for sending & getting mail"
     * (support.google.com/mail/answer/22839) allows 500 recipients a day
     * to a personal account; Workspace allows 2 000 a day
     * (support.google.com/a/answer/166852), so 500 is right for both.
     * Google publishes no rate per minute or hour: bursts are what its
     * abuse detection notices, so one message every 3 s at most, 20 a
     * minute, and a day's 500 spread over at least two hours. */
    .id = "gmail",
    .name = N_("Gmail"),
    .host = "smtp.gmail.com",
    .port = 465,
    .security = SINGLY_SECURITY_TLS,
    .auth = SINGLY_SMTP_AUTH_AUTO,
    .pacing = { .interval = 3, .jitter = 1, .max_per_minute = 20, .max_per_hour = 250,
                .max_per_day = 500, .max_per_connection = 50 },
    .note = N_("Gmail needs an app password: turn on 2-Step Verification in your Google Account, "
               "then create an app password and use it here (or log in with OAuth2 and a token "
               "command). Port 587 with STARTTLS works too. Gmail sends at most 500 messages a day "
               "from a personal account, 2 000 from Google Workspace."),
    .domains = gmail_domains,
  },
  {
    /* Server and limits: Microsoft's "Exchange Online limits"
     * (learn.microsoft.com/office365/servicedescriptions/exchange-online-
     * service-description/exchange-online-limits): SMTP client submission
     * to smtp.office365.com:587 with STARTTLS, 30 messages a minute,
     * 10 000 recipients a day. 25 a minute stays clear of the first,
     * which Microsoft counts on its own clock. Personal Outlook.com
     * accounts are allowed fewer a day, by an amount Microsoft does not
     * publish for free accounts: the note says so. */
    .id = "outlook",
    .name = N_("Outlook.com / Microsoft 365"),
    .host = "smtp.office365.com",
    .port = 587,
    .security = SINGLY_SECURITY_STARTTLS,
    .auth = SINGLY_SMTP_AUTH_AUTO,
    .pacing = { .interval = 2.4, .jitter = 0.5, .max_per_minute = 25, .max_per_hour = 0,
                .max_per_day = 10000, .max_per_connection = 50 },
    .note = N_("Microsoft 365 turns SMTP AUTH off by default: your administrator must enable "
               "“Authenticated SMTP” for your mailbox. With two-step verification, use an app "
               "password; where passwords are no longer accepted, log in with OAuth2 and a token "
               "command. Microsoft 365 allows 30 messages a minute and 10 000 recipients a day; "
               "personal Outlook.com accounts are allowed far fewer a day, so lower the daily "
               "limit for one."),
    .domains = outlook_domains,
  },
  {
    /* Server: QQ Mail's help (service.mail.qq.com): smtp.qq.com, SSL,
     * port 465 (or 587). Tencent publishes no sending limits for
     * personal accounts, which it suspends for bulk sending: slow and
     * low on purpose. */
    .id = "qq",
    .name = N_("QQ Mail"),
    .host = "smtp.qq.com",
    .port = 465,
    .security = SINGLY_SECURITY_TLS,
    .auth = SINGLY_SMTP_AUTH_AUTO,
    .pacing = { .interval = 6, .jitter = 2, .max_per_minute = 10, .max_per_hour = 100,
                .max_per_day = 300, .max_per_connection = 50 },
    .note = N_("Turn on the SMTP service in QQ Mail’s settings (Settings → Account → "
               "POP3/IMAP/SMTP), then use the authorisation code (授权码) it gives you as the "
               "password, not your QQ password. QQ Mail publishes no sending limits and "
               "suspends accounts that send too much, so Singly sends slowly."),
    .domains = qq_domains,
  },
  {
    /* Server: NetEase's help (help.mail.163.com): smtp.163.com, SSL,
     * port 465 (994 too). NetEase publishes no limits; free accounts are
     * known to be held back after a few hundred messages a day: lower
     * still. */
    .id = "163",
    .name = N_("163 Mail"),
    .host = "smtp.163.com",
    .port = 465,
    .security = SINGLY_SECURITY_TLS,
    .auth = SINGLY_SMTP_AUTH_AUTO,
    .pacing = { .interval = 10, .jitter = 3, .max_per_minute = 5, .max_per_hour = 50,
                .max_per_day = 200, .max_per_connection = 50 },
    .note = N_("Turn on SMTP in 163 Mail’s settings (Settings → POP3/SMTP/IMAP) and use the "
               "client authorisation password (客户端授权密码) it gives you as the password, not "
               "your login password. 163 Mail publishes no sending limits, so Singly sends "
               "slowly."),
    .domains = netease_domains,
  },
  {
    /* Server: Tencent Exmail's client set-up help (exmail.qq.com):
     * smtp.exmail.qq.com, SSL, port 465. Limits depend on the edition
     * the company pays for and are not published as such: conservative. */
    .id = "exmail",
    .name = N_("Tencent Exmail (腾讯企业邮)"),
    .host = "smtp.exmail.qq.com",
    .port = 465,
    .security = SINGLY_SECURITY_TLS,
    .auth = SINGLY_SMTP_AUTH_AUTO,
    .pacing = { .interval = 5, .jitter = 2, .max_per_minute = 10, .max_per_hour = 150,
                .max_per_day = 500, .max_per_connection = 50 },
    .note = N_("Log in with your full company address. If secure login (安全登录) is on for your "
               "account, create a client-specific password (客户端专用密码) in the web mail’s "
               "settings and use it here. Sending limits depend on your company’s edition; ask "
               "your administrator before large campaigns."),
    .domains = no_domains,
  },
  {
    /* Server: Alibaba Mail's client set-up help (help.aliyun.com,
     * 阿里邮箱 客户端设置): smtp.qiye.aliyun.com, SSL, port 465. Limits
     * depend on the edition and are not published as such: conservative. */
    .id = "aliyun",
    .name = N_("Alibaba Mail (阿里企业邮箱)"),
    .host = "smtp.qiye.aliyun.com",
    .port = 465,
    .security = SINGLY_SECURITY_TLS,
    .auth = SINGLY_SMTP_AUTH_AUTO,
    .pacing = { .interval = 5, .jitter = 2, .max_per_minute = 10, .max_per_hour = 150,
                .max_per_day = 500, .max_per_connection = 50 },
    .note = N_("Log in with your full company address. Your administrator may have to allow "
               "SMTP for your account; if the third-party client security password "
               "(三方客户端安全密码) is turned on, use it instead of your login password. Sending "
               "limits depend on your company’s edition."),
    .domains = no_domains,
  },
  {
    /* Whatever the user's company runs: no limits assumed, none imposed */
    .id = SINGLY_PRESET_CUSTOM,
    .name = N_("Other (custom)"),
    .host = NULL,
    .port = 587,
    .security = SINGLY_SECURITY_STARTTLS,
    .auth = SINGLY_SMTP_AUTH_AUTO,
    .pacing = { 0 },
    .note = N_("Ask your provider or administrator for the server’s name, port and encryption, "
               "and for how many messages you may send a day."),
    .domains = no_domains,
  },
};

/**
 * singly_presets_get_all:
 * @n_presets: (out) (optional): the number of presets
 *
 * Returns: (array length=n_presets) (transfer none): every preset, in the
 *   order to offer them; "Other (custom)" is the last
 */
const SinglyPreset *
singly_presets_get_all (guint *n_presets)
{
  if (n_presets != NULL)
    *n_presets = G_N_ELEMENTS (presets);
  return presets;
}

/**
 * singly_preset_lookup:
 * @id: a preset's id
 *
 * Returns: (transfer none) (nullable): the preset, or %NULL for an id
 *   this version does not know
 */
const SinglyPreset *
singly_preset_lookup (const char *id)
{
  g_return_val_if_fail (id != NULL, NULL);

  for (guint i = 0; i < G_N_ELEMENTS (presets); i++)
    if (g_str_equal (presets[i].id, id))
      return &presets[i];
  return NULL;
}

/**
 * singly_preset_guess:
 * @address: an e-mail address, as the user types it
 *
 * Recognises the providers whose addresses are on their own domains
 * (gmail.com, outlook.com, qq.com, 163.com, …). Company mail (Exmail,
 * Alibaba Mail, Microsoft 365) is on the company's domain and cannot be
 * told from the address.
 *
 * Returns: (transfer none) (nullable): the provider's preset, or %NULL
 */
const SinglyPreset *
singly_preset_guess (const char *address)
{
  g_autofree char *domain = NULL;
  const char *at;
  gsize length;

  g_return_val_if_fail (address != NULL, NULL);

  at = strrchr (address, '@');
  if (at == NULL)
    return NULL;
  domain = g_ascii_strdown (at + 1, -1);
  g_strstrip (domain);
  /* "gmail.com." is the same domain, fully qualified */
  length = strlen (domain);
  if (length > 0 && domain[length - 1] == '.')
    domain[length - 1] = '\0';

  for (guint i = 0; i < G_N_ELEMENTS (presets); i++)
    if (g_strv_contains ((const char * const *) presets[i].domains, domain))
      return &presets[i];
  return NULL;
}

/**
 * singly_preset_get_name:
 *
 * Returns: (transfer none): the provider's name, translated
 */
const char *
singly_preset_get_name (const SinglyPreset *preset)
{
  g_return_val_if_fail (preset != NULL, NULL);
  return _(preset->name);
}

/**
 * singly_preset_get_note:
 *
 * Returns: (transfer none) (nullable): advice for setting up an account
 *   with the provider, translated
 */
const char *
singly_preset_get_note (const SinglyPreset *preset)
{
  g_return_val_if_fail (preset != NULL, NULL);
  return preset->note != NULL ? _(preset->note) : NULL;
}

/**
 * singly_preset_apply:
 * @preset: a preset
 * @account: the account to set up
 *
 * Makes @account an SMTP account of the provider: its server, port,
 * security and pacing, and the preset's id; the mechanism too when the
 * provider needs a particular one. The name, sender, user, password and
 * token command stay as they are. "Other (custom)" only records itself,
 * leaving the server and the limits to the user.
 */
void
singly_preset_apply (const SinglyPreset *preset,
                     SinglyAccount      *account)
{
  g_return_if_fail (preset != NULL);
  g_return_if_fail (account != NULL);

  account->kind = SINGLY_ACCOUNT_SMTP;
  g_free (account->preset);
  account->preset = g_strdup (preset->id);
  if (preset->host == NULL)
    return;

  g_free (account->host);
  account->host = g_strdup (preset->host);
  account->port = preset->port;
  account->security = preset->security;
  if (preset->auth != SINGLY_SMTP_AUTH_AUTO)
    account->auth = preset->auth;
  account->pacing = preset->pacing;
}
