using System.CommandLine;
using System.CommandLine.Parsing;
using System.Globalization;

namespace GaussQuant.Cli;

/// <summary>
/// Finds the words that look like options (<c>-x</c>, <c>--name</c>) but that no option of the command claims.
/// System.CommandLine hands such a word to the command's arguments when they take any (so <c>gq encode photos
/// --verbose</c> would read a file named --verbose), or reports it as an unmatched token; either way it is a typo
/// or an option of another command, and gq says so, once, for every command. After <c>--</c> every word is an
/// argument, so a file whose name starts with a dash stays reachable.
/// </summary>
internal static class UnknownOptions
{
    /// <summary>One message per unknown option, with the closest known option of the command when one is close.</summary>
    public static IReadOnlyList<string> Describe(ParseResult parsed)
    {
        var claimed = new HashSet<Token>(ReferenceEqualityComparer.Instance);
        ClaimOptionValues(parsed.RootCommandResult, claimed);
        var known = KnownNames(parsed.CommandResult.Command);
        var messages = new List<string>();
        foreach (var token in parsed.Tokens)
        {
            if (token.Type == TokenType.DoubleDash)
                break;
            if (token.Type == TokenType.Argument && LooksLikeOption(token.Value) && !claimed.Contains(token))
                messages.Add(Closest(token.Value, known) is { } suggestion
                    ? $"unknown option {token.Value}; did you mean {suggestion}?"
                    : $"unknown option {token.Value}");
        }
        return messages;
    }

    /// <summary>Tokens taken as the value of an option (e.g. <c>--set -x=1</c>) are that option's, not unknown options.</summary>
    private static void ClaimOptionValues(SymbolResult result, HashSet<Token> claimed)
    {
        if (result is OptionResult option)
            claimed.UnionWith(option.Tokens);
        if (result is CommandResult command)
            foreach (var child in command.Children)
                ClaimOptionValues(child, claimed);
    }

    /// <summary>A dash and something else, and not a negative number.</summary>
    private static bool LooksLikeOption(string word) =>
        word.Length > 1 && word[0] == '-' && !double.TryParse(word, NumberStyles.Float, CultureInfo.InvariantCulture, out _);

    private static List<string> KnownNames(Command command)
    {
        var names = new List<string>();
        for (Symbol? symbol = command; symbol is Command current; symbol = current.Parents.FirstOrDefault())
            foreach (var option in current.Options.Where(option => ReferenceEquals(current, command) || option.Recursive))
                names.AddRange(option.Aliases.Prepend(option.Name));
        return names;
    }

    /// <summary>
    /// The known option a typo most likely meant: within two edits (and fewer than half its letters), or one name
    /// starting with the other (<c>--batch-size</c> → <c>--batch</c>).
    /// </summary>
    private static string? Closest(string word, IReadOnlyList<string> known)
    {
        string bare = word.TrimStart('-');
        return known
            .Select(name => (Name: name, Bare: name.TrimStart('-')))
            .Where(name => name.Bare.Length > 1)
            .Select(name => (name.Name, Distance: EditDistance(bare, name.Bare),
                Prefix: bare.StartsWith(name.Bare, StringComparison.Ordinal) || name.Bare.StartsWith(bare, StringComparison.Ordinal)))
            .Where(candidate => candidate.Distance <= 2 && 2 * candidate.Distance < bare.Length || candidate.Prefix)
            .OrderBy(candidate => candidate.Distance)
            .Select(candidate => candidate.Name)
            .FirstOrDefault();
    }

    /// <summary>Levenshtein distance: insertions, deletions and substitutions.</summary>
    private static int EditDistance(string a, string b)
    {
        var previous = Enumerable.Range(0, b.Length + 1).ToArray();
        var current = new int[b.Length + 1];
        for (int i = 1; i <= a.Length; i++)
        {
            current[0] = i;
            for (int j = 1; j <= b.Length; j++)
                current[j] = Math.Min(Math.Min(current[j - 1], previous[j]) + 1, previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1));
            (previous, current) = (current, previous);
        }
        return previous[b.Length];
    }
}
