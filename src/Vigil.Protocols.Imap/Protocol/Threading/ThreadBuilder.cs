using System.Text;

namespace Vigil.Protocols.Imap.Protocol.Threading;

/// <summary>One message as THREAD sees it: its number (sequence or UID), its ids and sort data.</summary>
public sealed record ThreadMessage(uint Number, string? MessageId, IReadOnlyList<string> References, string? Subject, DateTimeOffset Date);

/// <summary>A node of a thread tree; <see cref="Message"/> is null for a placeholder.</summary>
public sealed class ThreadNode(ThreadMessage? message)
{
    public ThreadMessage? Message { get; set; } = message;
    public ThreadNode? Parent { get; set; }
    public List<ThreadNode> Children { get; } = [];

    /// <summary>The date a node sorts by: its own, or for a placeholder its first child's (RFC 5256 §2.2 (B)).</summary>
    public DateTimeOffset SortDate => Message?.Date ?? (Children.Count > 0 ? Children.Min(c => c.SortDate) : DateTimeOffset.MaxValue);

    public uint SortNumber => Message?.Number ?? (Children.Count > 0 ? Children.Min(c => c.SortNumber) : uint.MaxValue);
}

/// <summary>THREAD=ORDEREDSUBJECT and THREAD=REFERENCES (RFC 5256 §2.2), and the response
/// syntax: a node with one child continues inline, several children are each parenthesised.</summary>
public static class ThreadBuilder
{
    public static List<ThreadNode> OrderedSubject(IEnumerable<ThreadMessage> messages)
    {
        var roots = new List<ThreadNode>();
        foreach (var group in messages.GroupBy(m => BaseSubject.Extract(m.Subject)))
        {
            var sorted = group.OrderBy(m => m.Date).ThenBy(m => m.Number).ToList();
            var root = new ThreadNode(sorted[0]);
            foreach (var m in sorted.Skip(1)) root.Children.Add(new ThreadNode(m) { Parent = root });
            roots.Add(root);
        }
        return roots.OrderBy(r => r.SortDate).ThenBy(r => r.SortNumber).ToList();
    }

    public static List<ThreadNode> References(IReadOnlyList<ThreadMessage> messages)
    {
        var byId = new Dictionary<string, ThreadNode>(StringComparer.Ordinal);
        var all = new List<ThreadNode>();
        // (A) link every message to its references, without creating loops.
        foreach (var m in messages)
        {
            ThreadNode node;
            if (m.MessageId is { Length: > 0 } id && byId.TryGetValue(id, out var existing) && existing.Message is null)
            {
                node = existing;
                node.Message = m;
            }
            else
            {
                node = new ThreadNode(m);
                // A duplicate Message-ID is treated as unique (RFC 5256 §2.2 (A) 1).
                if (m.MessageId is { Length: > 0 } mid && !byId.ContainsKey(mid)) byId[mid] = node;
            }
            all.Add(node);
            ThreadNode? previous = null;
            foreach (var reference in m.References)
            {
                if (!byId.TryGetValue(reference, out var container))
                {
                    container = new ThreadNode(null);
                    byId[reference] = container;
                    all.Add(container);
                }
                if (previous is not null && container.Parent is null && !IsAncestor(container, previous) && container != previous) Link(previous, container);
                previous = container;
            }
            if (previous is not null && previous != node && !IsAncestor(node, previous))
            {
                if (node.Parent is not null) node.Parent.Children.Remove(node);
                node.Parent = null;
                Link(previous, node);
            }
        }
        // (B) the root set, with empty placeholders pruned.
        var roots = Prune(all.Where(n => n.Parent is null).ToList(), isRoot: true);
        // (C) gather roots that share a base subject.
        roots = GatherBySubject(roots);
        // (D) sort siblings by date, then by number.
        SortChildren(roots);
        return roots.OrderBy(r => r.SortDate).ThenBy(r => r.SortNumber).ToList();
    }

    private static bool IsAncestor(ThreadNode candidate, ThreadNode node)
    {
        for (var p = node; p is not null; p = p.Parent)
        {
            if (p == candidate) return true;
        }
        return false;
    }

    private static void Link(ThreadNode parent, ThreadNode child)
    {
        child.Parent = parent;
        parent.Children.Add(child);
    }

    private static List<ThreadNode> Prune(List<ThreadNode> nodes, bool isRoot)
    {
        var result = new List<ThreadNode>();
        foreach (var node in nodes)
        {
            var children = Prune(node.Children.ToList(), isRoot: false);
            node.Children.Clear();
            foreach (var c in children)
            {
                c.Parent = node;
                node.Children.Add(c);
            }
            if (node.Message is not null)
            {
                result.Add(node);
            }
            else if (node.Children.Count == 0)
            {
                // an empty placeholder without children disappears
            }
            else if (!isRoot || node.Children.Count == 1)
            {
                // promote the children of a placeholder (at the root only when there is one)
                foreach (var c in node.Children) c.Parent = isRoot ? null : node.Parent;
                result.AddRange(node.Children);
            }
            else
            {
                result.Add(node);
            }
        }
        return result;
    }

    private static List<ThreadNode> GatherBySubject(List<ThreadNode> roots)
    {
        var bySubject = new Dictionary<string, ThreadNode>(StringComparer.Ordinal);
        var result = new List<ThreadNode>();
        foreach (var root in roots.OrderBy(r => r.SortDate).ThenBy(r => r.SortNumber))
        {
            var message = root.Message ?? root.Children.OrderBy(c => c.SortDate).First().Message;
            var subject = BaseSubject.Extract(message?.Subject);
            if (subject.Length == 0 || !bySubject.TryGetValue(subject, out var existing))
            {
                if (subject.Length > 0) bySubject[subject] = root;
                result.Add(root);
                continue;
            }
            var rootIsReply = BaseSubject.IsReplyOrForward(message?.Subject);
            if (existing.Message is null && root.Message is null)
            {
                foreach (var c in root.Children) Link(existing, c);
            }
            else if (existing.Message is null)
            {
                Link(existing, root);
            }
            else if (root.Message is not null && rootIsReply && !BaseSubject.IsReplyOrForward(existing.Message.Subject))
            {
                Link(existing, root);
            }
            else
            {
                // Neither is clearly the parent: both become children of a new placeholder.
                var placeholder = new ThreadNode(null);
                result.Remove(existing);
                Link(placeholder, existing);
                Link(placeholder, root);
                bySubject[subject] = placeholder;
                result.Add(placeholder);
            }
        }
        return result;
    }

    private static void SortChildren(IEnumerable<ThreadNode> nodes)
    {
        foreach (var n in nodes)
        {
            n.Children.Sort((a, b) =>
            {
                var c = a.SortDate.CompareTo(b.SortDate);
                return c != 0 ? c : a.SortNumber.CompareTo(b.SortNumber);
            });
            SortChildren(n.Children);
        }
    }

    /// <summary>"(1 2 (3)(4 5))" for each root (RFC 5256 §4 thread-list).</summary>
    public static string Format(IEnumerable<ThreadNode> roots)
    {
        var sb = new StringBuilder();
        foreach (var root in roots)
        {
            sb.Append('(');
            Append(sb, root);
            sb.Append(')');
        }
        return sb.ToString();
    }

    private static void Append(StringBuilder sb, ThreadNode node)
    {
        var current = node;
        var first = true;
        while (true)
        {
            if (current.Message is not null)
            {
                if (!first) sb.Append(' ');
                sb.Append(current.Message.Number);
                first = false;
            }
            if (current.Children.Count == 1 && current.Message is not null)
            {
                current = current.Children[0];
                continue;
            }
            // thread-members [SP thread-nested]: one space before the nested lists, none between them.
            if (!first && current.Children.Count > 0) sb.Append(' ');
            foreach (var child in current.Children)
            {
                sb.Append('(');
                Append(sb, child);
                sb.Append(')');
            }
            return;
        }
    }
}
