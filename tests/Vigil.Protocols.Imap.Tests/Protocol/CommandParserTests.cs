using System.Text;
using Vigil.Core.Model;
using Vigil.Protocols.Imap.Protocol.Parsing;
using Vigil.Protocols.Imap.Protocol.Requests;

namespace Vigil.Protocols.Imap.Tests.Protocol;

public class CommandParserTests
{
    private static ParseResult Parse(string command) => CommandParser.Parse(new RawCommand(Encoding.UTF8.GetBytes(command)));

    private static T Ok<T>(string command) where T : ImapRequest
    {
        var result = Parse(command);
        Assert.True(result.Ok, result.Error);
        return Assert.IsType<T>(result.Request);
    }

    private static string Bad(string command)
    {
        var result = Parse(command);
        Assert.False(result.Ok);
        return result.Error!;
    }

    [Fact]
    public void Simple_commands_are_case_insensitive()
    {
        var r = Ok<SimpleRequest>("a1 noop");
        Assert.Equal(SimpleCommand.Noop, r.Command);
        Assert.Equal("a1", r.Tag);
        Assert.Equal("NOOP", r.Name);
        Assert.Equal(SimpleCommand.Capability, Ok<SimpleRequest>("A.2 CAPABILITY").Command);
    }

    [Fact]
    public void Tags_and_names()
    {
        Assert.Null(Parse("+tag NOOP").Tag);
        Assert.Null(Parse("NOOP").Tag);
        Assert.Null(Parse("a{1 NOOP").Tag);
        Assert.Equal("Unknown command", Bad("a1 FROB"));
        Assert.Equal("a1", Parse("a1 FROB").Tag);
        Assert.Equal("Unknown UID command", Bad("a1 UID LIST"));
        Assert.Equal("Unexpected characters at the end of the command", Bad("a1 NOOP extra"));
    }

    [Fact]
    public void Login_with_atoms_quoted_and_literal()
    {
        var r = Ok<LoginRequest>("a LOGIN alice@example.org \"pa ss\\\"w\\\\d\"");
        Assert.Equal("alice@example.org", r.User);
        Assert.Equal("pa ss\"w\\d", r.Password);
        r = Ok<LoginRequest>("a LOGIN {5}\r\nalice {6+}\r\nsecret");
        Assert.Equal(("alice", "secret"), (r.User, r.Password));
        Assert.Equal("Invalid escape in quoted string", Bad("a LOGIN \"a\\b\" c"));
        Assert.Equal("Unterminated quoted string", Bad("a LOGIN \"abc"));
        Assert.Equal("Literal is shorter than announced", Bad("a LOGIN {10}\r\nabc"));
        Assert.Equal("Strings must be UTF-8", CommandParser.Parse(new RawCommand((byte[])[.. "a LOGIN \""u8, 0xff, .. "\" x"u8])).Error);
    }

    [Fact]
    public void Authenticate_with_and_without_initial_response()
    {
        Assert.Equal(new AuthenticateRequest("PLAIN", null) { Tag = "a", Name = "AUTHENTICATE" }, Ok<AuthenticateRequest>("a authenticate plain"));
        Assert.Equal("AGFsaWNlAHNlY3JldA==", Ok<AuthenticateRequest>("a AUTHENTICATE PLAIN AGFsaWNlAHNlY3JldA==").InitialResponse);
        Assert.Equal("", Ok<AuthenticateRequest>("a AUTHENTICATE PLAIN =").InitialResponse);
    }

    [Fact]
    public void Select_with_condstore_and_qresync()
    {
        var r = Ok<SelectRequest>("a SELECT INBOX");
        Assert.Equal(("INBOX", false, false), (r.Mailbox, r.ReadOnly, r.CondStore));
        Assert.True(Ok<SelectRequest>("a EXAMINE \"Sent Items\" (CONDSTORE)").CondStore);
        var q = Ok<SelectRequest>("a SELECT INBOX (QRESYNC (67890007 90060115194045000 41:211,214:541))").Qresync!;
        Assert.Equal((67890007u, 90060115194045000ul, "41:211,214:541"), (q.UidValidity, q.ModSeq, q.KnownUids!.ToString()));
        q = Ok<SelectRequest>("a SELECT INBOX (QRESYNC (1 2 1:5 (1:3 4:6)))").Qresync!;
        Assert.Equal(("1:3", "4:6"), (q.KnownSequence!.ToString(), q.KnownSequenceUids!.ToString()));
        q = Ok<SelectRequest>("a SELECT INBOX (QRESYNC (1 2 (1:3 4:6)))").Qresync!;
        Assert.Null(q.KnownUids);
        Assert.Equal("4:6", q.KnownSequenceUids!.ToString());
        Assert.StartsWith("Unknown SELECT parameter", Bad("a SELECT INBOX (FOO)"));
    }

    [Fact]
    public void List_basic_and_extended()
    {
        var r = Ok<ListRequest>("a LIST \"\" *");
        Assert.Equal(("", "*", false), (r.Reference, r.Patterns.Single(), r.Extended));
        r = Ok<ListRequest>("a LIST \"\" %/Sub%");
        Assert.Equal("%/Sub%", r.Patterns.Single());
        r = Ok<ListRequest>("a LIST (SUBSCRIBED RECURSIVEMATCH) \"\" (\"INBOX\" Foo*) RETURN (CHILDREN STATUS (MESSAGES UNSEEN))");
        Assert.Equal(ListSelect.Subscribed | ListSelect.RecursiveMatch, r.Select);
        Assert.Equal(["INBOX", "Foo*"], r.Patterns);
        Assert.Equal(ListReturn.Children | ListReturn.Status, r.Return);
        Assert.Equal(StatusItems.Messages | StatusItems.Unseen, r.StatusItems);
        Assert.True(r.Extended);
        Assert.Equal("RECURSIVEMATCH needs another selection option", Bad("a LIST (RECURSIVEMATCH) \"\" *"));
    }

    [Fact]
    public void Status_items()
    {
        var r = Ok<StatusRequest>("a STATUS blurdybloop (UIDNEXT MESSAGES size highestmodseq)");
        Assert.Equal(StatusItems.UidNext | StatusItems.Messages | StatusItems.Size | StatusItems.HighestModSeq, r.Items);
        Assert.Equal("Unknown STATUS item FOO", Bad("a STATUS INBOX (FOO)"));
        Assert.Equal("Empty list", Bad("a STATUS INBOX ()"));
    }

    [Fact]
    public void Create_with_special_use()
    {
        var r = Ok<CreateRequest>("a CREATE MySpecial (USE (\\Drafts \\Sent))");
        Assert.Equal(["\\Drafts", "\\Sent"], r.SpecialUse);
        Assert.Empty(Ok<CreateRequest>("a CREATE owatagusiam/").SpecialUse);
    }

    [Fact]
    public void Fetch_items_macros_and_sections()
    {
        var r = Ok<FetchRequest>("a FETCH 1:* ALL");
        Assert.Equal(4, r.Items.Count);
        r = Ok<FetchRequest>("a UID FETCH 1,3:5 (UID FLAGS BODY.PEEK[HEADER.FIELDS (From Subject)]<0.512> BODY[1.2.MIME] BINARY.PEEK[2] BINARY.SIZE[1.1] BODY BODYSTRUCTURE RFC822.SIZE) (CHANGEDSINCE 12345 VANISHED)");
        Assert.True(r.Uid);
        Assert.Equal("UID FETCH", r.Name);
        Assert.Equal(12345ul, r.ChangedSince);
        Assert.True(r.Vanished);
        var section = Assert.IsType<SectionItem>(r.Items[2]);
        Assert.True(section.Peek);
        Assert.Equal("HEADER.FIELDS (From Subject)", section.Section.ToString());
        Assert.Equal((0u, 512u), (section.PartialOffset!.Value, section.PartialLength!.Value));
        Assert.Equal("1.2.MIME", Assert.IsType<SectionItem>(r.Items[3]).Section.ToString());
        var binary = Assert.IsType<SectionItem>(r.Items[4]);
        Assert.True(binary.Binary);
        Assert.Equal([2], binary.Section.Part);
        Assert.Equal([1, 1], Assert.IsType<BinarySizeItem>(r.Items[5]).Part);
        Assert.Equal(FetchAttribute.Body, Assert.IsType<AttributeItem>(r.Items[6]).Attribute);
        Assert.Equal("", Assert.IsType<SectionItem>(Ok<FetchRequest>("a FETCH 1 BODY[]").Items[0]).Section.ToString());
        Assert.Equal("2.TEXT", Assert.IsType<SectionItem>(Ok<FetchRequest>("a FETCH 1 body[2.text]").Items[0]).Section.ToString());
    }

    [Theory]
    [InlineData("a FETCH 1 (FLAGS", "Expected ')' but the command ended")]
    [InlineData("a FETCH 1 FOO", "Unknown FETCH item FOO")]
    [InlineData("a FETCH 1 BODY[MIME]", "Invalid section MIME")]
    [InlineData("a FETCH 1 BODY[HEADER.FIELDS]", "Expected ' '")]
    [InlineData("a FETCH 1 BODY[0]", "Number must not be zero")]
    [InlineData("a FETCH 1 BODY[]<5>", "Expected '.'")]
    [InlineData("a FETCH 0 FLAGS", "Invalid sequence set")]
    [InlineData("a FETCH 1 () ", "Empty list")]
    [InlineData("a FETCH 1 FLAGS (VANISHED)", "VANISHED requires UID FETCH with CHANGEDSINCE")]
    public void Fetch_errors(string command, string error) => Assert.Equal(error, Bad(command));

    [Fact]
    public void Store_forms()
    {
        var r = Ok<StoreRequest>("a STORE 2:4 +FLAGS (\\Deleted)");
        Assert.Equal((StoreMode.Add, false), (r.Mode, r.Silent));
        Assert.Equal(["\\Deleted"], r.Flags);
        r = Ok<StoreRequest>("a UID STORE 1 (UNCHANGEDSINCE 320162338) -FLAGS.SILENT \\Seen $Forwarded");
        Assert.Equal((StoreMode.Remove, true, 320162338ul), (r.Mode, r.Silent, r.UnchangedSince!.Value));
        Assert.Equal(["\\Seen", "$Forwarded"], r.Flags);
        Assert.Equal(StoreMode.Replace, Ok<StoreRequest>("a STORE 1 FLAGS ()").Mode);
        Assert.Equal("Unknown STORE item LABELS", Bad("a STORE 1 +LABELS (x)"));
        Assert.Equal("\\* is not a flag", Bad("a STORE 1 +FLAGS (\\*)"));
    }

    [Fact]
    public void Append_single_multi_and_catenate()
    {
        var r = Ok<AppendRequest>("a APPEND saved-messages (\\Seen) \"05-Jul-1994 02:44:25 -0700\" {5}\r\nhello");
        var m = r.Messages.Single();
        Assert.Equal(["\\Seen"], m.Flags);
        Assert.Equal(new DateTimeOffset(1994, 7, 5, 2, 44, 25, TimeSpan.FromHours(-7)), m.InternalDate);
        Assert.Equal("hello", Encoding.ASCII.GetString(m.Data!.Inline.Span));
        r = Ok<AppendRequest>("a APPEND INBOX {3+}\r\none (\\Draft) {3+}\r\ntwo ~{3}\r\nth\0");
        Assert.Equal(3, r.Messages.Count);
        Assert.True(r.Messages[2].Data!.Binary);
        r = Ok<AppendRequest>("a APPEND Drafts CATENATE (URL \"/INBOX;UIDVALIDITY=385759045/;UID=20/;SECTION=HEADER\" TEXT {4}\r\nbody)");
        Assert.Equal(2, r.Messages[0].Catenate!.Count);
        Assert.Equal("APPEND needs a message", Bad("a APPEND INBOX"));
        Assert.Equal("Invalid date-time", Bad("a APPEND INBOX \"yesterday\" {1}\r\nx"));
    }

    [Fact]
    public void Spooled_literals_are_handles()
    {
        var text = Encoding.ASCII.GetBytes("a APPEND INBOX {100000}\r\n");
        var handle = new object();
        var result = CommandParser.Parse(new RawCommand(text, new Dictionary<int, object> { [15] = handle }));
        var data = Assert.IsType<AppendRequest>(result.Request).Messages[0].Data!;
        Assert.Same(handle, data.Spooled);
        Assert.Equal(100000, data.Length);
    }

    [Fact]
    public void Search_keys()
    {
        var r = Ok<SearchRequest>("a SEARCH FLAGGED SINCE 1-Feb-1994 NOT FROM \"Smith\"");
        var and = Assert.IsType<AndKey>(r.Key);
        Assert.Equal(new FlagKey(MessageFlags.Flagged, true), and.Keys[0]);
        Assert.Equal(new DateKey(DateField.Internal, DateComparison.Since, new DateOnly(1994, 2, 1)), and.Keys[1]);
        Assert.Equal(new NotKey(new HeaderKey("FROM", "Smith")), and.Keys[2]);
        r = Ok<SearchRequest>("a UID SEARCH CHARSET UTF-8 OR (TEXT {6}\r\nstring UID 1:5) 2,4:* HEADER X-Spam yes");
        Assert.Equal("UTF-8", r.Charset);
        var or = Assert.IsType<OrKey>(Assert.IsType<AndKey>(r.Key).Keys[0]);
        Assert.Equal(new TextKey(false, "string"), Assert.IsType<AndKey>(or.Left).Keys[0]);
        Assert.IsType<SetKey>(or.Right);
        r = Ok<SearchRequest>("a SEARCH RETURN (MIN COUNT SAVE) MODSEQ \"/flags/\\\\draft\" all 620162338 $");
        Assert.Equal(SearchReturn.Min | SearchReturn.Count | SearchReturn.Save, r.Return);
        Assert.Equal(SearchReturn.All, Ok<SearchRequest>("a SEARCH RETURN () ALL").Return);
        Assert.Equal([new RecentKey(true), new FlagKey(MessageFlags.Seen, false)], Assert.IsType<AndKey>(Ok<SearchRequest>("a SEARCH NEW").Key).Keys);
        Assert.Equal(new AgeKey(false, 3600), Ok<SearchRequest>("a SEARCH YOUNGER 3600").Key);
    }

    [Fact]
    public void Search_errors()
    {
        var result = Parse("a SEARCH CHARSET KOI8-R TEXT x");
        Assert.Equal(("BADCHARSET (UTF-8 US-ASCII)", true), (result.Code, result.No));
        Assert.Equal("Unknown search key FOO", Bad("a SEARCH FOO"));
        Assert.Equal("Invalid date 1-Foo-2000", Bad("a SEARCH SINCE 1-Foo-2000"));
        Assert.Equal("Search criteria nested too deeply", Bad("a SEARCH " + string.Concat(Enumerable.Repeat("NOT ", 100)) + "ALL"));
        Assert.Equal("Search criteria nested too deeply", Bad("a SEARCH " + new string('(', 100) + "ALL" + new string(')', 100)));
    }

    [Fact]
    public void Sort_and_thread()
    {
        var s = Ok<SortRequest>("a UID SORT (REVERSE DATE SUBJECT) UTF-8 ALL");
        Assert.Equal([new SortCriterion(SortKey.Date, true), new SortCriterion(SortKey.Subject, false)], s.Criteria);
        Assert.Equal("REVERSE must precede a sort key", Bad("a SORT (SUBJECT REVERSE) UTF-8 ALL"));
        var t = Ok<ThreadRequest>("a THREAD REFERENCES US-ASCII SINCE 1-Jan-2020");
        Assert.Equal(ThreadAlgorithm.References, t.Algorithm);
        Assert.Equal("Unknown THREAD algorithm REFS2", Bad("a THREAD REFS2 UTF-8 ALL"));
    }

    [Fact]
    public void Copy_move_expunge_enable_id()
    {
        var c = Ok<CopyRequest>("a UID MOVE 42:69 foo");
        Assert.Equal((true, true, "foo", "42:69"), (c.Uid, c.Move, c.Mailbox, c.Set.ToString()));
        Assert.Equal("3000:3002", Ok<UidExpungeRequest>("a UID EXPUNGE 3000:3002").Set.ToString());
        Assert.Equal(SimpleCommand.Expunge, Ok<SimpleRequest>("a EXPUNGE").Command);
        Assert.Equal(["CONDSTORE", "UTF8=ACCEPT"], Ok<EnableRequest>("a ENABLE condstore UTF8=ACCEPT").Capabilities);
        var id = Ok<IdRequest>("a ID (\"name\" \"sodr\" \"version\" NIL)");
        Assert.Equal([new("name", "sodr"), new("version", null)], id.Parameters!);
        Assert.Null(Ok<IdRequest>("a ID NIL").Parameters);
        Assert.Equal("ID takes field/value pairs", Bad("a ID (\"name\")"));
    }

    [Fact]
    public void Peeks_tag_and_name_of_a_first_line()
    {
        Assert.Equal(("a1", "APPEND"), CommandParser.PeekCommand("a1 append INBOX {30}"u8));
        Assert.Equal(("x", "UID FETCH"), CommandParser.PeekCommand("x uid fetch 1 FLAGS"u8));
        Assert.Null(CommandParser.PeekCommand("{5}"u8));
    }

    [Theory]
    [InlineData("a LOGIN u {5}", 5, false, false)]
    [InlineData("a APPEND INBOX {123+}", 123, true, false)]
    [InlineData("a APPEND INBOX ~{7}", 7, false, true)]
    public void Finds_literal_markers(string line, long size, bool nonSync, bool binary)
    {
        var m = LiteralMarker.Find(Encoding.ASCII.GetBytes(line))!.Value;
        Assert.Equal((size, nonSync, binary), (m.Size, m.NonSync, m.Binary));
    }

    [Theory]
    [InlineData("a LOGIN u p")]
    [InlineData("a LOGIN u {}")]
    [InlineData("a LOGIN u {x}")]
    [InlineData("a LOGIN u {99999999999999999999}")]
    public void No_literal_marker(string line) => Assert.Null(LiteralMarker.Find(Encoding.ASCII.GetBytes(line)));
}
