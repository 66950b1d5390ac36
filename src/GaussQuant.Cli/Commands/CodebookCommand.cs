using System.CommandLine;
using GaussQuant.IO;
using GaussQuant.Quantization;
using GaussQuant.Tokens;

namespace GaussQuant.Cli.Commands;

/// <summary><c>gq codebook --dim D --size K [--seed S] -o FILE.npy</c>: writes the GQ codebook as float32 [K, D].</summary>
internal static class CodebookCommand
{
    public static Command Create()
    {
        var dimension = new Option<int>("--dim") { Description = "Dimension of one codebook vector (the config's 'group').", Required = true };
        var size = new Option<int>("--size") { Description = "Number of codebook entries K (a power of two).", Required = true };
        var seed = new Option<int>("--seed") { Description = "Scramble seed of the Sobol sequence.", DefaultValueFactory = _ => 42 };
        var output = new Option<FileInfo>("--output", "-o") { Description = "Output .npy file.", Required = true };
        var outputs = new OutputArguments();

        var command = new Command("codebook", "Write the GQ codebook (scrambled Sobol points through the inverse normal CDF) as .npy.")
        {
            dimension, size, seed, output,
        };
        outputs.AddTo(command);
        command.SetAction(parsed => ExitCodes.Guard(() =>
        {
            var file = parsed.GetValue(output)!;
            using var claim = OutputClaim.ForFiles(outputs.OverwriteOf(parsed), "codebook.npy", file.FullName);
            var codebook = Codebook.Create(parsed.GetValue(dimension), parsed.GetValue(size), parsed.GetValue(seed));
            NpyFile.Write(file.FullName, codebook.Entries.Span, codebook.Size, codebook.Dimension);
            claim.Keep();
            Console.WriteLine($"wrote {file.FullName}: float32 [{codebook.Size}, {codebook.Dimension}], seed {codebook.Seed}, sha256 {codebook.Sha256()}");
            return ExitCodes.Success;
        }));
        return command;
    }
}
