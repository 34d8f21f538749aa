using Permits.Build;

return await Targets.RunAsync(args);
