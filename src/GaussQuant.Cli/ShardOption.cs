using System.CommandLine;
using GaussQuant.Distributed;

namespace GaussQuant.Cli;

/// <summary><c>--shard i/N</c> (encode, eval): do block i of N of the inputs alone, for array jobs without MPI; <c>gq merge</c> joins the shards.</summary>
internal sealed class ShardOption : Option<string>
{
    /// <param name="writes">What a shard writes, for the help text.</param>
    public ShardOption(string writes) : base("--shard")
    {
        HelpName = "i/N";
        Description = $"Do only shard i of N (0 ≤ i < N) and write {writes}; 'gq merge' joins the N shards into what one run writes.";
        Validators.Add(result =>
        {
            try
            {
                Shard.Parse(result.GetValueOrDefault<string>());
            }
            catch (ArgumentException error)
            {
                result.AddError(error.Message);
            }
        });
    }

    public static Shard? Of(ParseResult parsed, ShardOption option) => parsed.GetValue(option) is string text ? Shard.Parse(text) : null;
}
