// Passkey Helpdesk on Azure: one user-assigned managed identity is the bot's identity for the Bot Framework
// (UserAssignedMSI), Microsoft Graph and Azure Storage, so the deployment holds no secret. Follows the Microsoft 365
// Agents Toolkit's TypeScript bot template; outputs are written to env/.env.<name> by arm/deploy.

@maxLength(20)
@minLength(4)
@description('Used to generate names for all resources in this file')
param resourceBaseName string

@description('App Service plan SKU: Basic or higher for alwaysOn and scale-out')
param webAppSku string = 'B1'

@minValue(1)
@maxValue(10)
@description('App Service instances: the bot keeps its state in Storage, so several instances are the normal case')
param instanceCount int = 2

@maxLength(42)
param botDisplayName string

@description('The Entra tenant the bot serves (TENANT_ID); other tenants are refused')
param tenantId string = subscription().tenantId

@description('The Teams app id from teamsApp/create (TEAMS_APP_ID)')
param teamsAppId string

param helpdeskAgentsGroupId string
param helpdeskAdminsGroupId string
param tapApproversGroupId string
param helpdeskChannelId string
param installAppForProactive string = 'false'

param location string = resourceGroup().location

var storageAccountName = toLower(take(replace('${resourceBaseName}stor', '-', ''), 24))

resource identity 'Microsoft.ManagedIdentity/userAssignedIdentities@2023-01-31' = {
  location: location
  name: resourceBaseName
}

// Tables (tickets, TAP requests, audit ledger), blobs (conversation state, inventory exports), queues (background jobs). Entra ID only:
// shared-key access is off, so a leaked connection string is worth nothing.
resource storage 'Microsoft.Storage/storageAccounts@2023-01-01' = {
  name: storageAccountName
  location: location
  kind: 'StorageV2'
  sku: {
    name: 'Standard_ZRS'
  }
  properties: {
    allowSharedKeyAccess: false
    allowBlobPublicAccess: false
    minimumTlsVersion: 'TLS1_2'
    supportsHttpsTrafficOnly: true
  }
}

// Inventory CSV exports (container inventory-exports) are deleted by the account itself a day after they were made,
// even if no bot instance runs: the bot's own sweep deletes them sooner (once their links expire and the consent is
// answered, or after UNANSWERED_EXPORT_HOURS), but only while it runs. Lifecycle rules run about once a day.
resource storageLifecycle 'Microsoft.Storage/storageAccounts/managementPolicies@2023-01-01' = {
  name: 'default'
  parent: storage
  properties: {
    policy: {
      rules: [
        {
          name: 'delete-inventory-exports'
          enabled: true
          type: 'Lifecycle'
          definition: {
            filters: {
              blobTypes: [
                'blockBlob'
              ]
              prefixMatch: [
                'inventory-exports/'
              ]
            }
            actions: {
              baseBlob: {
                delete: {
                  daysAfterCreationGreaterThan: 1
                }
              }
            }
          }
        }
      ]
    }
  }
}

// Built-in data-plane roles: Storage Blob / Table / Queue Data Contributor.
var storageRoles = [
  'ba92f5b4-2d11-453d-a403-e96b0029c9fe'
  '0a9a7e1f-b9d0-4cc4-a60d-0319b160aaa3'
  '974c5e8b-45b9-4653-ba55-5f855dd0fb88'
]

resource storageRoleAssignments 'Microsoft.Authorization/roleAssignments@2022-04-01' = [for roleId in storageRoles: {
  name: guid(storage.id, identity.id, roleId)
  scope: storage
  properties: {
    principalId: identity.properties.principalId
    principalType: 'ServicePrincipal'
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roleId)
  }
}]

resource logs 'Microsoft.OperationalInsights/workspaces@2022-10-01' = {
  name: resourceBaseName
  location: location
  properties: {
    sku: {
      name: 'PerGB2018'
    }
    retentionInDays: 30
  }
}

resource appInsights 'Microsoft.Insights/components@2020-02-02' = {
  name: resourceBaseName
  location: location
  kind: 'web'
  properties: {
    Application_Type: 'Node.JS'
    WorkspaceResourceId: logs.id
  }
}

resource serverfarm 'Microsoft.Web/serverfarms@2022-09-01' = {
  kind: 'linux'
  location: location
  name: resourceBaseName
  sku: {
    name: webAppSku
    capacity: instanceCount
  }
  properties: {
    reserved: true
  }
}

resource webApp 'Microsoft.Web/sites@2022-09-01' = {
  kind: 'app,linux'
  location: location
  name: resourceBaseName
  properties: {
    serverFarmId: serverfarm.id
    httpsOnly: true
    siteConfig: {
      linuxFxVersion: 'NODE|20-lts'
      alwaysOn: true
      // A heap sized for a bot, not for the machine: V8 grows a heap capped at ≤ 512 MB by small factors, so an
      // instance peaked at 173–206 MB under load instead of 240–350 MB (docs/RELIABILITY.md), and a 100,000-user inventory
      // or ring run needs at most 139 MB (README). bench:load and bench:inventory read their Node flags from this line.
      appCommandLine: 'node --max-old-space-size=512 --max-semi-space-size=2 dist/src/index.js'
      ftpsState: 'Disabled'
      minTlsVersion: '1.2'
      appSettings: [
        {
          name: 'SCM_DO_BUILD_DURING_DEPLOYMENT'
          value: 'false'
        }
        {
          name: 'GRAPH_MODE'
          value: 'live'
        }
        {
          name: 'TENANT_ID'
          value: tenantId
        }
        {
          name: 'GRAPH_CLIENT_ID'
          value: identity.properties.clientId
        }
        {
          name: 'GRAPH_MANAGED_IDENTITY'
          value: 'true'
        }
        {
          name: 'BOT_ID'
          value: identity.properties.clientId
        }
        {
          name: 'BOT_MANAGED_IDENTITY'
          value: 'true'
        }
        {
          // Which managed identity DefaultAzureCredential uses for Storage (read by @azure/identity, not src/config.ts).
          name: 'AZURE_CLIENT_ID'
          value: identity.properties.clientId
        }
        {
          name: 'STORAGE_ACCOUNT_URL'
          value: storage.properties.primaryEndpoints.blob
        }
        {
          name: 'TEAMS_APP_ID'
          value: teamsAppId
        }
        {
          name: 'HELPDESK_AGENTS_GROUP_ID'
          value: helpdeskAgentsGroupId
        }
        {
          name: 'HELPDESK_ADMINS_GROUP_ID'
          value: helpdeskAdminsGroupId
        }
        {
          name: 'TAP_APPROVERS_GROUP_ID'
          value: tapApproversGroupId
        }
        {
          name: 'HELPDESK_CHANNEL_ID'
          value: helpdeskChannelId
        }
        {
          name: 'INSTALL_APP_FOR_PROACTIVE'
          value: installAppForProactive
        }
        {
          // Read by the Application Insights agent App Service attaches (stdout logs, requests, dependencies).
          name: 'APPLICATIONINSIGHTS_CONNECTION_STRING'
          value: appInsights.properties.ConnectionString
        }
        {
          name: 'ApplicationInsightsAgent_EXTENSION_VERSION'
          value: '~3'
        }
      ]
    }
  }
  identity: {
    type: 'UserAssigned'
    userAssignedIdentities: {
      '${identity.id}': {}
    }
  }
}

module azureBotRegistration './botRegistration/azurebot.bicep' = {
  name: 'Azure-Bot-registration'
  params: {
    resourceBaseName: resourceBaseName
    identityClientId: identity.properties.clientId
    identityResourceId: identity.id
    identityTenantId: identity.properties.tenantId
    botAppDomain: webApp.properties.defaultHostName
    botDisplayName: botDisplayName
  }
}

// Persisted in env/.env.<name> by arm/deploy (https://aka.ms/teamsfx-actions/arm-deploy).
output AZURE_APP_SERVICE_RESOURCE_ID string = webApp.id
output BOT_DOMAIN string = webApp.properties.defaultHostName
output BOT_ENDPOINT string = 'https://${webApp.properties.defaultHostName}'
output BOT_ID string = identity.properties.clientId
output TEAMS_APP_TENANT_ID string = identity.properties.tenantId
output STORAGE_ACCOUNT_URL string = storage.properties.primaryEndpoints.blob
// Grant the Graph application permissions to this principal (README "Deployment", npm run consent-url).
output MANAGED_IDENTITY_PRINCIPAL_ID string = identity.properties.principalId
