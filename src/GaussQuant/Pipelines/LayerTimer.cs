using System.Diagnostics;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace GaussQuant.Pipelines;

/// <summary>
/// Times every module of a network by forward hooks and charges each module only its own time (its inclusive time
/// less its children's), by layer kind: a convolution's time is the convolution, a ResnetBlock's own time is its
/// SiLUs and residual add, an AttnBlock's own time is the attention product and its reshapes, and so on. LibTorch's
/// CPU operators run synchronously, so wall-clock time between hooks is the operators' time; the process's CPU time
/// between hooks is their work, which a shared machine's load does not inflate.
/// </summary>
internal sealed class LayerTimer : IDisposable
{
    private readonly List<Action> removals = [];
    private readonly Stack<Frame> open = new();
    private readonly Dictionary<string, LayerProfile> byKind = [];
    private readonly string part;

    public LayerTimer(string part, nn.Module network)
    {
        this.part = part;
        // named_modules() leaves out the network itself, whose own time is its last activation and glue.
        foreach (var module in network.named_modules().Select(named => named.module).Prepend(network))
        {
            if (module is not nn.Module<Tensor, Tensor> hookable)
                continue;
            var before = hookable.register_forward_pre_hook((entered, input) =>
            {
                open.Push(new Frame(entered, open.Count > 0 ? open.Peek().Module : null, Stopwatch.GetTimestamp(), Environment.CpuUsage.TotalTime));
                return null!;
            });
            var after = hookable.register_forward_hook((left, input, output) =>
            {
                Leave(left, input, output);
                return null!;
            });
            removals.Add(before.remove);
            removals.Add(after.remove);
        }
    }

    /// <summary>Time and work per kind so far, summed over every pass.</summary>
    public IEnumerable<LayerProfile> Profiles => byKind.Values;

    private void Leave(nn.Module module, Tensor input, Tensor output)
    {
        var frame = open.Pop();
        double seconds = Stopwatch.GetElapsedTime(frame.Start).TotalSeconds;
        double cpuSeconds = (Environment.CpuUsage.TotalTime - frame.StartCpu).TotalSeconds;
        if (open.TryPeek(out var parent))
        {
            parent.ChildSeconds += seconds;
            parent.ChildCpuSeconds += cpuSeconds;
        }
        var (kind, flops) = LayerKinds.Classify(module, frame.Parent, input, output);
        var profile = byKind.TryGetValue(kind, out var known) ? known : new LayerProfile(part, kind, 0, 0, 0, 0);
        byKind[kind] = profile with
        {
            Calls = profile.Calls + 1,
            Seconds = profile.Seconds + seconds - frame.ChildSeconds,
            CpuSeconds = profile.CpuSeconds + cpuSeconds - frame.ChildCpuSeconds,
            Flops = profile.Flops + flops,
        };
    }

    public void Dispose()
    {
        foreach (var remove in removals) remove();
        removals.Clear();
    }

    private sealed class Frame(nn.Module module, nn.Module? parent, long start, TimeSpan startCpu)
    {
        public nn.Module Module { get; } = module;
        public nn.Module? Parent { get; } = parent;
        public long Start { get; } = start;
        public TimeSpan StartCpu { get; } = startCpu;
        public double ChildSeconds { get; set; }
        public double ChildCpuSeconds { get; set; }
    }
}
