using System.Text;
using MailKit;
using MailKit.Net.Imap;
using MailKit.Search;
using MailKit.Security;
using MimeKit;
using Vigil.Interop.Tests.Infrastructure;
using static Vigil.Interop.Tests.Imap.ImapInterop;

namespace Vigil.Interop.Tests.Imap;

/// <summary>MailKit's ImapClient — a client we did not write — through the IMAP commands and
/// extensions Vigil offers, against a real server with mail delivered over SMTP.</summary>
public sealed class MailKitImapTests
{
    [Fact]
    public async Task Capabilities_login_and_folders()
    {
        await using var server = await TestServer.StartAsync();
        await server.AddUserAsync("alice");
        using var client = await ConnectAsync(server, "alice");
        var caps = client.Capabilities;
        foreach (var c in new[] { ImapCapabilities.IMAP4rev1, ImapCapabilities.IMAP4rev2, ImapCapabilities.Idle, ImapCapabilities.UidPlus, ImapCapabilities.Move,
                     ImapCapabilities.Namespace, ImapCapabilities.Id, ImapCapabilities.Enable, ImapCapabilities.SpecialUse, ImapCapabilities.CreateSpecialUse,
                     ImapCapabilities.CondStore, ImapCapabilities.QuickResync, ImapCapabilities.ESearch, ImapCapabilities.SearchResults,
                     ImapCapabilities.Sort, ImapCapabilities.Thread, ImapCapabilities.Children, ImapCapabilities.ListExtended, ImapCapabilities.ListStatus,
                     ImapCapabilities.StatusSize, ImapCapabilities.Binary, ImapCapabilities.MultiAppend, ImapCapabilities.Unselect,
                     ImapCapabilities.Quota, ImapCapabilities.AppendLimit, ImapCapabilities.SaslIR, ImapCapabilities.LiteralPlus, ImapCapabilities.UTF8Accept })
        {
            Assert.True(caps.HasFlag(c), c.ToString());
        }
        Assert.Equal(52428800u, client.AppendLimit);
        var id = await client.IdentifyAsync(new ImapImplementation { Name = "MailKit-test" });
        Assert.Equal("Vigil", id.Name);

        var personal = client.PersonalNamespaces.Single();
        Assert.Equal(("", '/'), (personal.Path, personal.DirectorySeparator));
        var folders = await client.GetFoldersAsync(personal);
        Assert.Equal(["Archive", "Drafts", "INBOX", "Junk", "Sent", "Trash"], folders.Select(f => f.FullName).Order(StringComparer.Ordinal));
        Assert.Equal("Sent", client.GetFolder(SpecialFolder.Sent)!.FullName);
        Assert.Equal("Junk", client.GetFolder(SpecialFolder.Junk)!.FullName);
        Assert.True(folders.Single(f => f.FullName == "Trash").Attributes.HasFlag(FolderAttributes.Trash));
        Assert.True(folders.All(f => f.IsSubscribed));

        var root = client.GetFolder(personal)!;
        var projects = (await root.CreateAsync("Projects", isMessageFolder: true))!;
        var sub = (await projects.CreateAsync("Q3 Übersicht", isMessageFolder: true))!;
        Assert.Equal("Projects/Q3 Übersicht", sub.FullName);
        var special = (await root.CreateAsync("Later", [SpecialFolder.Flagged]))!;
        Assert.True(special.Attributes.HasFlag(FolderAttributes.Flagged));
        await sub.SubscribeAsync();
        var subscribed = await client.GetFoldersAsync(personal, StatusItems.None, subscribedOnly: true);
        Assert.Contains(subscribed, f => f.FullName == "Projects/Q3 Übersicht");
        await projects.RenameAsync(root, "Work");
        var after = await client.GetFoldersAsync(personal);
        Assert.Contains(after, f => f.FullName == "Work/Q3 Übersicht");
        Assert.DoesNotContain(after, f => f.FullName.StartsWith("Projects", StringComparison.Ordinal));
        var work = await client.GetFolderAsync("Work");
        Assert.True(work.Attributes.HasFlag(FolderAttributes.HasChildren));
        await Assert.ThrowsAsync<ImapCommandException>(() => work.DeleteAsync());
        await (await client.GetFolderAsync("Work/Q3 Übersicht")).DeleteAsync();
        await work.DeleteAsync();
        Assert.Equal(7, (await client.GetFoldersAsync(personal)).Count);
        await Assert.ThrowsAsync<FolderNotFoundException>(() => client.GetFolderAsync("Nope"));
        await client.DisconnectAsync(true);
    }

    [Fact]
    public async Task Fetch_summaries_bodies_and_flags_of_delivered_mail()
    {
        await using var server = await TestServer.StartAsync();
        await server.AddUserAsync("bob");
        var multipart = new MimeMessage();
        multipart.From.Add(new MailboxAddress("Zoë Sender", "zoe@remote.test"));
        multipart.To.Add(MailboxAddress.Parse("bob@example.test"));
        multipart.Subject = "Report with attachment ✓";
        var builder = new BodyBuilder { TextBody = "See attached.", HtmlBody = "<p>See <b>attached</b>.</p>" };
        builder.Attachments.Add("data.bin", Enumerable.Range(0, 300).Select(i => (byte)i).ToArray(), new ContentType("application", "octet-stream"));
        multipart.Body = builder.ToMessageBody();
        await DeliverAsync(server, "bob", Message("first", "one"), multipart, Message("third", "three"));

        using var client = await ConnectAsync(server, "bob");
        var inbox = client.Inbox;
        await inbox.OpenAsync(FolderAccess.ReadWrite);
        Assert.Equal(3, inbox.Count);
        Assert.Equal(3, inbox.Recent);
        Assert.Equal(0, inbox.FirstUnread);
        var items = MessageSummaryItems.UniqueId | MessageSummaryItems.Envelope | MessageSummaryItems.BodyStructure | MessageSummaryItems.Flags
            | MessageSummaryItems.InternalDate | MessageSummaryItems.Size | MessageSummaryItems.ModSeq;
        var summaries = await inbox.FetchAsync(0, -1, items);
        Assert.Equal(3, summaries.Count);
        var s = summaries[1];
        Assert.Equal("Report with attachment ✓", s.Envelope.Subject);
        Assert.Equal("Zoë Sender", ((MailboxAddress)s.Envelope.From[0]).Name);
        Assert.Equal(2u, s.UniqueId.Id);
        var attachment = s.Attachments.Single();
        Assert.Equal("data.bin", attachment.FileName);
        Assert.NotNull(s.TextBody);
        Assert.NotNull(s.HtmlBody);
        Assert.True(s.Flags!.Value.HasFlag(MessageFlags.Recent));
        Assert.False(s.Flags!.Value.HasFlag(MessageFlags.Seen));
        Assert.True(s.ModSeq > 0);

        // BODY.PEEK of one part, decoded as MailKit sees it, and BINARY of the attachment.
        var text = (TextPart)await inbox.GetBodyPartAsync(s.UniqueId, s.TextBody);
        Assert.Equal("See attached.", text.Text.Trim());
        var bin = (MimePart)await inbox.GetBodyPartAsync(s.UniqueId, attachment);
        using (var ms = new MemoryStream())
        {
            await bin.Content.DecodeToAsync(ms);
            Assert.Equal(Enumerable.Range(0, 300).Select(i => (byte)i).ToArray(), ms.ToArray());
        }
        Assert.False((await inbox.FetchAsync([s.UniqueId], MessageSummaryItems.Flags))[0].Flags!.Value.HasFlag(MessageFlags.Seen));

        // MailKit reads whole messages with BODY.PEEK[]: exactly what was stored, \Seen untouched.
        var full = await inbox.GetMessageAsync(s.UniqueId);
        Assert.Equal("Report with attachment ✓", full.Subject);
        Assert.False((await inbox.FetchAsync([s.UniqueId], MessageSummaryItems.Flags))[0].Flags!.Value.HasFlag(MessageFlags.Seen));
        var stored = server.ReadBlob((await server.InboxAsync((await server.Get<Core.Storage.IDirectoryStore>().GetAccountAsync("bob", TestServer.Domain, default))!))[1]);
        using (var raw = await inbox.GetStreamAsync(s.UniqueId, ""))
        using (var ms = new MemoryStream())
        {
            await raw.CopyToAsync(ms);
            Assert.Equal(stored, ms.ToArray());
        }
        Assert.Equal((uint)stored.Length, s.Size);

        // Partial fetch and header fields.
        using (var partial = await inbox.GetStreamAsync(s.UniqueId, "", 0, 10))
        using (var ms = new MemoryStream())
        {
            await partial.CopyToAsync(ms);
            Assert.Equal(stored.AsSpan(0, 10).ToArray(), ms.ToArray());
        }
        var headers = await inbox.FetchAsync([s.UniqueId], new FetchRequest(MessageSummaryItems.UniqueId) { Headers = new HeaderSet(["Subject", "From"]) });
        Assert.Equal("Report with attachment ✓", headers[0].Headers[HeaderId.Subject]);
        Assert.Null(headers[0].Headers[HeaderId.To]);

        // STORE: flags and keywords, silent and not.
        await inbox.AddFlagsAsync([summaries[0].UniqueId, summaries[2].UniqueId], MessageFlags.Flagged | MessageFlags.Answered, silent: false);
        await inbox.AddFlagsAsync(summaries[0].UniqueId, MessageFlags.None, new HashSet<string> { "$Work" }, silent: true);
        await inbox.RemoveFlagsAsync(summaries[2].UniqueId, MessageFlags.Answered, silent: true);
        var flags = await inbox.FetchAsync(0, -1, MessageSummaryItems.Flags | MessageSummaryItems.UniqueId);
        Assert.Equal(MessageFlags.Flagged | MessageFlags.Answered | MessageFlags.Recent, flags[0].Flags);
        Assert.Contains("$Work", flags[0].Keywords);
        Assert.Equal(MessageFlags.Flagged | MessageFlags.Recent, flags[2].Flags);
        await client.DisconnectAsync(true);
    }

    [Fact]
    public async Task Search_sort_and_thread()
    {
        await using var server = await TestServer.StartAsync();
        await server.AddUserAsync("carol");
        await DeliverAsync(server, "carol",
            Message("Budget 2025", "The quarterly numbers are attached.", "finance@remote.test", "<a@remote.test>"),
            Message("Re: Budget 2025", "Looks fine to me.", "boss@remote.test", "<b@remote.test>", "<a@remote.test>"),
            Message("Lunch", "Pizza at noon?", "friend@remote.test", "<c@remote.test>"),
            Message("Re: Re: Budget 2025", "Approved, with one CHANGE.", "finance@remote.test", "<d@remote.test>", "<b@remote.test>"));
        using var client = await ConnectAsync(server, "carol");
        var inbox = client.Inbox;
        await inbox.OpenAsync(FolderAccess.ReadWrite);
        await inbox.AddFlagsAsync(new UniqueId(3), MessageFlags.Seen, silent: true);

        Assert.Equal([1u, 2u, 4u], (await inbox.SearchAsync(SearchQuery.SubjectContains("budget"))).Select(u => u.Id));
        Assert.Equal([1u, 4u], (await inbox.SearchAsync(SearchQuery.FromContains("FINANCE"))).Select(u => u.Id));
        Assert.Equal([4u], (await inbox.SearchAsync(SearchQuery.BodyContains("change"))).Select(u => u.Id));
        Assert.Equal([1u], (await inbox.SearchAsync(SearchQuery.BodyContains("quarterly"))).Select(u => u.Id));
        Assert.Equal([3u], (await inbox.SearchAsync(SearchQuery.Seen)).Select(u => u.Id));
        Assert.Equal([1u, 2u, 4u], (await inbox.SearchAsync(SearchQuery.NotSeen)).Select(u => u.Id));
        Assert.Equal([2u, 3u], (await inbox.SearchAsync(SearchQuery.Or(SearchQuery.BodyContains("pizza"), SearchQuery.HeaderContains("Message-ID", "b@remote")))).Select(u => u.Id));
        Assert.Equal(4, (await inbox.SearchAsync(SearchQuery.DeliveredAfter(DateTime.Today.AddDays(-1)))).Count);
        Assert.Empty(await inbox.SearchAsync(SearchQuery.SentBefore(new DateTime(2000, 1, 1))));
        Assert.Equal([3u], (await inbox.SearchAsync(SearchQuery.Uids([new UniqueId(3), new UniqueId(9)]))).Select(u => u.Id));
        Assert.Equal(4, (await inbox.SearchAsync(SearchQuery.LargerThan(10))).Count);
        Assert.Equal(4, (await inbox.SearchAsync(SearchQuery.YoungerThan(3600))).Count);

        // ESEARCH (RFC 4731) with MIN/MAX/COUNT.
        var results = await inbox.SearchAsync(SearchOptions.Min | SearchOptions.Max | SearchOptions.Count, SearchQuery.SubjectContains("budget"));
        Assert.Equal((1u, 4u, 3), (results.Min!.Value.Id, results.Max!.Value.Id, results.Count));

        // SORT (RFC 5256).
        var sorted = await inbox.SortAsync(SearchQuery.All, [OrderBy.Subject, OrderBy.ReverseArrival]);
        Assert.Equal([4u, 2u, 1u, 3u], sorted.Select(u => u.Id));
        var bySender = await inbox.SortAsync(SearchQuery.All, [OrderBy.From]);
        Assert.Equal([2u, 1u, 4u, 3u], bySender.Select(u => u.Id));

        // THREAD REFERENCES and ORDEREDSUBJECT.
        var threads = await inbox.ThreadAsync(ThreadingAlgorithm.References, SearchQuery.All);
        Assert.Equal(2, threads.Count);
        Assert.Equal(1u, threads[0].UniqueId!.Value.Id);
        Assert.Equal(2u, threads[0].Children.Single().UniqueId!.Value.Id);
        Assert.Equal(4u, threads[0].Children.Single().Children.Single().UniqueId!.Value.Id);
        var bySubject = await inbox.ThreadAsync(ThreadingAlgorithm.OrderedSubject, SearchQuery.All);
        Assert.Equal(2, bySubject.Count);
        await client.DisconnectAsync(true);
    }

    [Fact]
    public async Task Append_copy_move_expunge_with_uidplus_and_quota()
    {
        await using var server = await TestServer.StartAsync();
        await server.AddUserAsync("dave", quota: 20_000);
        using var client = await ConnectAsync(server, "dave");
        var drafts = await client.GetFolderAsync("Drafts");
        await drafts.OpenAsync(FolderAccess.ReadWrite);
        var date = new DateTimeOffset(2024, 2, 29, 13, 14, 15, TimeSpan.FromHours(2));
        var uid = await drafts.AppendAsync(new AppendRequest(Message("draft one", "text")) { Flags = MessageFlags.Draft | MessageFlags.Seen, Keywords = new HashSet<string> { "todo" }, InternalDate = date });
        Assert.Equal(1u, uid!.Value.Id);
        var many = await drafts.AppendAsync([new AppendRequest(Message("draft two", "a")), new AppendRequest(Message("draft three", "b"))]);
        Assert.Equal([2u, 3u], many.Select(u => u.Id));
        var s = (await drafts.FetchAsync([uid.Value], MessageSummaryItems.Flags | MessageSummaryItems.InternalDate))[0];
        Assert.Equal(MessageFlags.Draft | MessageFlags.Seen, s.Flags!.Value & ~MessageFlags.Recent);
        Assert.Contains("todo", s.Keywords);
        Assert.Equal(date, s.InternalDate);
        Assert.Equal(3, drafts.Count);

        var trash = await client.GetFolderAsync("Trash");
        var copied = await drafts.CopyToAsync([new UniqueId(1), new UniqueId(2)], trash);
        Assert.Equal([1u, 2u], copied.Source.Select(u => u.Id));
        Assert.Equal([1u, 2u], copied.Destination.Select(u => u.Id));
        var moved = await drafts.MoveToAsync([new UniqueId(3)], trash);
        Assert.Equal([3u], moved.Destination.Select(u => u.Id));
        Assert.Equal(2, drafts.Count);

        await drafts.AddFlagsAsync(new UniqueId(1), MessageFlags.Deleted, silent: true);
        await drafts.AddFlagsAsync(new UniqueId(2), MessageFlags.Deleted, silent: true);
        await drafts.ExpungeAsync([new UniqueId(2)]);
        Assert.Equal([1u], (await drafts.SearchAsync(SearchQuery.All)).Select(u => u.Id));
        await drafts.ExpungeAsync();
        Assert.Equal(0, drafts.Count);

        var quota = await client.Inbox.GetQuotaAsync();
        Assert.Equal(20_000u / 1024, quota.StorageLimit);
        Assert.True(quota.CurrentStorageSize > 0);
        var big = Message("too big", new string('x', 30_000));
        var error = await Assert.ThrowsAsync<ImapCommandException>(() => drafts.AppendAsync(new AppendRequest(big)));
        Assert.Equal(ImapCommandResponse.No, error.Response);
        Assert.Contains("Quota", error.ResponseText, StringComparison.OrdinalIgnoreCase);
        await client.DisconnectAsync(true);
    }

    [Fact]
    public async Task Status_and_list_status()
    {
        await using var server = await TestServer.StartAsync();
        await server.AddUserAsync("erin");
        await DeliverAsync(server, "erin", Message("a", "a"), Message("b", "b"));
        using var client = await ConnectAsync(server, "erin");
        await client.Inbox.StatusAsync(StatusItems.Count | StatusItems.Unread | StatusItems.UidNext | StatusItems.UidValidity | StatusItems.Size | StatusItems.HighestModSeq | StatusItems.Recent);
        Assert.Equal((2, 2, 3u, 2), (client.Inbox.Count, client.Inbox.Unread, client.Inbox.UidNext!.Value.Id, client.Inbox.Recent));
        Assert.True(client.Inbox.Size > 0);
        Assert.True(client.Inbox.HighestModSeq > 0);
        var folders = await client.GetFoldersAsync(client.PersonalNamespaces[0], StatusItems.Count | StatusItems.Unread);
        Assert.Equal(2, folders.Single(f => f.FullName == "INBOX").Count);
        Assert.Equal(0, folders.Single(f => f.FullName == "Sent").Count);
        await client.DisconnectAsync(true);
    }

    [Fact]
    public async Task Tls_on_993_and_starttls_on_143()
    {
        await using var server = await TestServer.StartAsync();
        await server.AddUserAsync("frank");
        using (var tls = await ConnectAsync(server, "frank", SecureSocketOptions.SslOnConnect, "imaps"))
        {
            Assert.True(tls.IsSecure);
            await tls.Inbox.OpenAsync(FolderAccess.ReadOnly);
            await tls.DisconnectAsync(true);
        }
        using var starttls = await ConnectAsync(server, "frank", SecureSocketOptions.StartTls, "imap");
        Assert.True(starttls.IsSecure);
        await starttls.Inbox.OpenAsync(FolderAccess.ReadWrite);
        await starttls.DisconnectAsync(true);
    }

    [Fact]
    public async Task Compress_deflate_carries_the_rest_of_the_session()
    {
        await using var server = await TestServer.StartAsync();
        await server.AddUserAsync("hugo");
        await DeliverAsync(server, "hugo", Message("compressed", new string('z', 20_000)));
        using var client = await ConnectAsync(server, "hugo");
        Assert.True(client.Capabilities.HasFlag(ImapCapabilities.Compress));
        await client.CompressAsync();
        await client.Inbox.OpenAsync(FolderAccess.ReadWrite);
        var message = await client.Inbox.GetMessageAsync(0);
        Assert.Equal("compressed", message.Subject);
        Assert.Equal(new string('z', 20_000), message.TextBody.TrimEnd());
        await client.Inbox.AddFlagsAsync(0, MessageFlags.Seen, silent: false);
        await client.DisconnectAsync(true);
    }

    [Fact]
    public async Task Utf8_accept_shows_names_in_utf8()
    {
        await using var server = await TestServer.StartAsync();
        await server.AddUserAsync("gina");
        using var client = await ConnectAsync(server, "gina");
        await client.EnableUTF8Async();
        var folder = await client.GetFolder(client.PersonalNamespaces[0]).CreateAsync("Entwürfe 📁", true);
        Assert.Equal("Entwürfe 📁", folder.FullName);
        var list = await client.GetFoldersAsync(client.PersonalNamespaces[0]);
        Assert.Contains(list, f => f.FullName == "Entwürfe 📁");
        await client.DisconnectAsync(true);
    }

    [Fact]
    public async Task Utf8_headers_are_appended_with_the_utf8_data_extension_after_enable()
    {
        await using var server = await TestServer.StartAsync();
        await server.AddUserAsync("ugo");
        using var log = new MemoryStream();
        using (var client = new ImapClient(new ProtocolLogger(log, leaveOpen: true)) { Timeout = 30_000 })
        {
            await client.ConnectAsync("127.0.0.1", server.Port("imap"), SecureSocketOptions.None);
            await client.AuthenticateAsync(Address("ugo"), TestServer.Password);
            await client.EnableUTF8Async();
            var uid = await client.Inbox.AppendAsync(new FormatOptions { International = true }, new AppendRequest(Message("Grüße aus Köln", "body")));
            await client.Inbox.OpenAsync(FolderAccess.ReadOnly);
            var header = await client.Inbox.GetHeadersAsync(uid!.Value);
            Assert.Equal("Grüße aus Köln", header[HeaderId.Subject]);
            // After ENABLE UTF8=ACCEPT a SEARCH naming a charset is BAD (RFC 6855 erratum 4029,
            // Transcripts/search-charset.txt); MailKit sends none and finds the message.
            Assert.Equal([uid.Value], await client.Inbox.SearchAsync(SearchQuery.SubjectContains("Köln")));
            Assert.Equal([uid.Value], await client.Inbox.SortAsync(SearchQuery.All, [OrderBy.Arrival]));
            await client.DisconnectAsync(true);
        }
        // RFC 6855 §4: after ENABLE UTF8=ACCEPT MailKit sends a message with raw UTF-8 headers as
        // "UTF8 (literal8)", which Vigil takes (before ENABLE it is BAD: Transcripts/utf8-and-nul.txt).
        var text = Encoding.UTF8.GetString(log.ToArray());
        Assert.Matches(@"C: \S+ APPEND INBOX UTF8 \(~\{\d+\+?\}\r\n", text);
        Assert.Contains("Subject: Grüße aus Köln", text);
        Assert.Matches(@"C: \S+ UID SEARCH RETURN \(ALL\) SUBJECT ""Köln""\r\n", text);
        Assert.Matches(@"C: \S+ UID SORT \(ARRIVAL\) US-ASCII ALL\r\n", text);
    }

    [Fact]
    public async Task MailKit_logs_in_with_sasl_ir_and_sends_non_synchronizing_literals()
    {
        await using var server = await TestServer.StartAsync();
        await server.AddUserAsync("olga");
        using var log = new MemoryStream();
        using (var client = new ImapClient(new ProtocolLogger(log, leaveOpen: true)) { Timeout = 30_000 })
        {
            await client.ConnectAsync("127.0.0.1", server.Port("imap"), SecureSocketOptions.None);
            await client.AuthenticateAsync(Address("olga"), TestServer.Password);
            await client.Inbox.AppendAsync(new AppendRequest(Message("literal plus", "body")));
            await client.DisconnectAsync(true);
        }
        var text = Encoding.UTF8.GetString(log.ToArray());
        // SASL-IR (RFC 4959): the PLAIN response rides on the AUTHENTICATE line.
        // (MailKit's log redacts the credentials themselves.)
        Assert.Matches(@"C: \S+ AUTHENTICATE PLAIN \S+\r\n", text);
        // LITERAL+ (RFC 7888): the message follows its literal marker without a continuation.
        Assert.Matches(@"C: \S+ APPEND INBOX .*\{\d+\+\}\r\n", text);
        Assert.DoesNotContain("S: + ", text);
        Assert.DoesNotMatch(@"C: \S+ LOGIN ", text);
    }
}
